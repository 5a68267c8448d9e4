import { AuditTrail } from '../audit/audit-trail';
import { totpSecretAad } from '../crypto/secret-aad';
import type { SecurityNotices } from '../lockout/security-notices';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { EnrollmentRecord, VerificationOutcome } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { SpendAndRecord } from './factor.verifier';

type Deps = Pick<ResolvedMfaContext, 'store' | 'keyRing' | 'totp'>;

/** TOTP codes: matched against each app's own seed, and spent by advancing that app's `last_step`. */
export class TotpVerifier {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly notices: SecurityNotices,
  ) {}

  /**
   * A user may have several apps; each keeps its own `last_step`, so a code spent on one
   * app is refused as a replay on that app and cannot match another (different seeds).
   */
  async verify(
    subject: MfaSubject,
    code: string,
    now: number,
    commit: SpendAndRecord,
    enrollments: readonly EnrollmentRecord[],
    enrollmentId?: string,
  ): Promise<boolean> {
    for (const enrollment of enrollments) {
      if (
        enrollment.type !== 'totp' ||
        enrollment.status !== 'active' ||
        (enrollmentId !== undefined && enrollment.id !== enrollmentId)
      )
        continue;
      if (
        await this.spend(
          subject,
          enrollment,
          code,
          (step) => commit({ kind: 'totp_step', enrollmentId: enrollment.id, step }),
          now,
        )
      )
        return true;
    }
    return false;
  }

  /** Enrollment: the first right code makes the app active and its time step used. */
  activate(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, now: number): Promise<boolean> {
    return this.spend(
      subject,
      enrollment,
      code,
      async (step) =>
        (await this.deps.store.activateEnrollment(enrollment.userId, enrollment.id, step, now))
          ? 'committed'
          : 'already_spent',
      now,
    );
  }

  /** Matches the code's time step; true only if this call is the one that advanced `last_step`. */
  private async spend(
    subject: MfaSubject,
    enrollment: EnrollmentRecord,
    code: string,
    spendStep: (step: number) => Promise<VerificationOutcome>,
    now: number,
  ): Promise<boolean> {
    const secret = this.openSecret(subject, enrollment);
    if (!secret) return false;
    const step = this.deps.totp.matchStep(secret, code, enrollment.profile!, now);
    secret.fill(0);
    if (step === null) return false;
    // A step the read already shows as used is refused before anything is renewed or written;
    // the conditional write still decides every race the read cannot see.
    const seenUsed = enrollment.lastStep !== null && step <= enrollment.lastStep;
    const outcome = seenUsed ? 'already_spent' : await spendStep(step);
    if (outcome === 'already_spent') {
      // A valid code for a step already used: a replay (ASVS 2.8.4 logs it).
      this.audit.record(subject, {
        type: 'totp.replay',
        severity: 'high',
        channel: 'totp',
        outcome: 'refused',
        enrollmentId: enrollment.id,
        reason: 'replay',
      });
      await this.notices.replayed(subject);
    }
    return outcome === 'committed';
  }

  /** A secret that fails to open (tampered, moved to another row, unknown key) matches nothing. */
  private openSecret(subject: MfaSubject, enrollment: EnrollmentRecord): Buffer | null {
    try {
      return this.deps.keyRing.open(enrollment.sealedSecret, totpSecretAad(enrollment.userId, enrollment.id));
    } catch {
      this.audit.record(subject, {
        type: 'secret.unreadable',
        severity: 'critical',
        channel: 'totp',
        outcome: 'refused',
        enrollmentId: enrollment.id,
      });
      return null;
    }
  }
}
