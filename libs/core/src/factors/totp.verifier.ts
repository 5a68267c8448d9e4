import { AuditTrail } from '../audit/audit-trail';
import { totpSecretAad } from '../crypto/secret-aad';
import { auditingKeyUnavailable } from '../errors/encryption-key-unavailable.error';
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
    const apps = this.requireKeys(subject, enrollments, enrollmentId);
    for (const enrollment of apps) {
      const step = this.matchStep(subject, enrollment, code, now);
      const spend = (s: number) => commit({ kind: 'totp_step', enrollmentId: enrollment.id, step: s });
      if (step !== null && (await this.spend(subject, enrollment, step, spend))) return true;
    }
    return false;
  }

  /** Enrollment: the first right code makes the app active and its time step used. */
  async activate(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, now: number): Promise<boolean> {
    this.requireKey(subject, enrollment);
    const step = this.matchStep(subject, enrollment, code, now);
    if (step === null) return false;
    return this.spend(subject, enrollment, step, async (s) =>
      (await this.deps.store.activateEnrollment(enrollment.userId, enrollment.id, s, now))
        ? 'committed'
        : 'already_spent',
    );
  }

  /**
   * The apps a code is checked against, once this instance holds the key of every one of
   * them. Otherwise it throws (503) before any code is compared: a wrong code must not hide
   * behind a refusal the user is not charged for. Call it before counting the attempt.
   */
  requireKeys(
    subject: MfaSubject,
    enrollments: readonly EnrollmentRecord[],
    enrollmentId?: string,
  ): EnrollmentRecord[] {
    const apps = enrollments.filter(
      (e) => e.type === 'totp' && e.status === 'active' && (enrollmentId === undefined || e.id === enrollmentId),
    );
    for (const enrollment of apps) this.requireKey(subject, enrollment);
    return apps;
  }

  /** Throws (503) if this app's seed is sealed under a key this instance lacks. */
  requireKey(subject: MfaSubject, enrollment: EnrollmentRecord): void {
    auditingKeyUnavailable(this.audit, subject, 'totp', enrollment.id, () =>
      this.deps.keyRing.requireKeyFor(enrollment.sealedSecret),
    );
  }

  /** True only if this call is the one that advanced `last_step` to `step`. */
  private async spend(
    subject: MfaSubject,
    enrollment: EnrollmentRecord,
    step: number,
    spendStep: (step: number) => Promise<VerificationOutcome>,
  ): Promise<boolean> {
    // A step the read already shows as used is refused before anything is renewed or written;
    // the conditional write still decides every race the read cannot see.
    const seenUsed = enrollment.lastStep !== null && step <= enrollment.lastStep;
    const outcome = seenUsed ? 'already_spent' : await spendStep(step);
    if (outcome === 'already_spent') {
      // An imported app's step at import counts as used though no code of it was ever accepted
      // here (last used never): typing the code then showing is refused, but is no one's replay.
      const importStep = enrollment.lastUsedAt === null && step <= enrollment.lastStep!;
      // A valid code for a step already used: a replay (ASVS 2.8.4 logs it).
      this.audit.record(subject, {
        type: 'totp.replay',
        severity: importStep ? 'info' : 'high',
        channel: 'totp',
        outcome: 'refused',
        enrollmentId: enrollment.id,
        reason: importStep ? 'step_used_at_import' : 'replay',
      });
      if (!importStep) await this.notices.replayed(subject);
    }
    return outcome === 'committed';
  }

  /** The time step `code` matches (null: none). A seed that fails to open (tampered, moved to another row) matches nothing. */
  private matchStep(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, now: number): number | null {
    let secret: Buffer;
    try {
      secret = this.deps.keyRing.open(enrollment.sealedSecret, totpSecretAad(enrollment.userId, enrollment.id));
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
    const step = this.deps.totp.matchStep(secret, code, enrollment.profile!, now);
    secret.fill(0);
    return step;
  }
}
