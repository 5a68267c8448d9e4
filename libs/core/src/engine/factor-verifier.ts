import { AuditTrail } from '../audit/audit-trail';
import { FactorType, EnrollmentRecord, VerificationOutcome, VerificationSpend } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { ResolvedMfaContext } from './mfa-options';
import { OtpDeliveryService } from './otp-delivery.service';
import { NotificationService } from './notification.service';
import { SecurityNotices } from './security-notices';
import { totpSecretAad } from './secret-aad';

/**
 * Spends one matched code, time step or backup code together with what its verification
 * earns (`MfaStore.commitVerification`), so a crash cannot spend it without recording it.
 */
export type SpendAndRecord = (spend: VerificationSpend) => Promise<VerificationOutcome>;

/**
 * Checks a code against the user's factors and spends it. Spending is the store's
 * conditional write; this class never decides single use by itself.
 */
export class FactorVerifier {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly delivery: OtpDeliveryService,
    private readonly notifications: NotificationService,
    private readonly notices: SecurityNotices,
  ) {}

  /**
   * `challengeId` binds SMS and email codes: a code sent for one challenge fits no other.
   * `enrollmentId`, when the client names the app, narrows TOTP to it. SMS and email codes
   * already name their target (chosen at send), and backup codes belong to no enrollment.
   */
  async verify(subject: MfaSubject, method: FactorType, code: string, now: number, challengeId: string, commit: SpendAndRecord, enrollmentId?: string): Promise<boolean> {
    switch (method) {
      case 'totp':
        return this.verifyTotp(subject, code, now, commit, enrollmentId);
      case 'backup_code':
        return this.redeemBackupCode(subject, code, commit);
      case 'sms':
      case 'email': {
        const live = await this.delivery.match(subject, method, `challenge:${challengeId}`, code, now);
        return live !== null && (await commit({ kind: 'otp_code', codeId: live.id })) === 'committed';
      }
    }
  }

  /** Enrollment: the first right code makes the app active and its time step used. */
  activateTotp(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, now: number): Promise<boolean> {
    return this.spendTotp(subject, enrollment, code, async (step) =>
      (await this.ctx.store.activateEnrollment(enrollment.userId, enrollment.id, step, now)) ? 'committed' : 'already_spent', now);
  }

  /** Matches the code's time step; true only if this call is the one that advanced `last_step`. */
  private async spendTotp(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, spendStep: (step: number) => Promise<VerificationOutcome>, now: number): Promise<boolean> {
    const secret = this.openSecret(subject, enrollment);
    if (!secret) return false;
    const step = this.ctx.totp.matchStep(secret, code, enrollment.profile!, now);
    secret.fill(0);
    if (step === null) return false;
    const outcome = await spendStep(step);
    if (outcome === 'already_spent') {
      // A valid code for a step already used: a replay (ASVS 2.8.4 logs it).
      this.audit.record(subject, { type: 'totp.replay', severity: 'high', channel: 'totp', outcome: 'refused', enrollmentId: enrollment.id, reason: 'replay' });
      await this.notices.replayed(subject);
    }
    return outcome === 'committed';
  }

  /** A secret that fails to open (tampered, moved to another row, unknown key) matches nothing. */
  private openSecret(subject: MfaSubject, enrollment: EnrollmentRecord): Buffer | null {
    try {
      return this.ctx.keyRing.open(enrollment.sealedSecret, totpSecretAad(enrollment.userId, enrollment.id));
    } catch {
      this.audit.record(subject, { type: 'secret.unreadable', severity: 'critical', channel: 'totp', outcome: 'refused', enrollmentId: enrollment.id });
      return null;
    }
  }

  /**
   * A user may have several apps; each keeps its own `last_step`, so a code spent on one
   * app is refused as a replay on that app and cannot match another (different seeds).
   */
  private async verifyTotp(subject: MfaSubject, code: string, now: number, commit: SpendAndRecord, enrollmentId?: string): Promise<boolean> {
    const enrollments = await this.ctx.store.listEnrollments(subject.userId);
    for (const enrollment of enrollments) {
      if (enrollment.type !== 'totp' || enrollment.status !== 'active' || (enrollmentId !== undefined && enrollment.id !== enrollmentId)) continue;
      if (await this.spendTotp(subject, enrollment, code, (step) => commit({ kind: 'totp_step', enrollmentId: enrollment.id, step }), now)) return true;
    }
    return false;
  }

  private async redeemBackupCode(subject: MfaSubject, input: string, commit: SpendAndRecord): Promise<boolean> {
    const code = this.ctx.backupCodes.normalize(input);
    if (!code) return false;
    const unused = await this.ctx.store.listUnusedBackupCodes(subject.userId);
    const matches = await Promise.all(unused.map((row) => this.ctx.hasher.verify(code, row.codeHash)));
    const match = unused[matches.indexOf(true)];
    if (!match) return false;
    const spent = (await commit({ kind: 'backup_code', codeId: match.id })) === 'committed';
    if (spent) {
      this.audit.record(subject, { type: 'backup_code.used', severity: 'warning', channel: 'backup_code', outcome: 'success', reason: `${unused.length - 1} left` });
      this.notifications.notify(subject, { type: 'backup_code.used', channel: 'backup_code', detail: `${unused.length - 1} left` });
    }
    return spent;
  }
}
