import { AuditTrail } from '../audit/audit-trail';
import { FactorType, EnrollmentRecord } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { ResolvedMfaContext } from './mfa-options';
import { OtpDeliveryService } from './otp-delivery.service';
import { NotificationService } from './notification.service';
import { totpSecretAad } from './secret-aad';

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
  ) {}

  /**
   * `challengeId` binds SMS and email codes: a code sent for one challenge fits no other.
   * `enrollmentId`, when the client names the app, narrows TOTP to it. SMS and email codes
   * already name their target (chosen at send), and backup codes belong to no enrollment.
   */
  async verify(subject: MfaSubject, method: FactorType, code: string, now: number, challengeId: string, enrollmentId?: string): Promise<boolean> {
    switch (method) {
      case 'totp':
        return this.verifyTotp(subject, code, now, enrollmentId);
      case 'backup_code':
        return this.redeemBackupCode(subject, code, now);
      case 'sms':
      case 'email':
        return (await this.delivery.spend(subject, method, `challenge:${challengeId}`, code, now)) !== null;
    }
  }

  /** Matches the code's time step; true only if this call is the one that advanced `last_step`. */
  async spendTotp(subject: MfaSubject, enrollment: EnrollmentRecord, code: string, now: number, activate = false): Promise<boolean> {
    const secret = this.openSecret(subject, enrollment);
    if (!secret) return false;
    const step = this.ctx.totp.matchStep(secret, code, enrollment.profile!, now);
    secret.fill(0);
    if (step === null) return false;
    const spent = activate
      ? await this.ctx.store.activateEnrollment(enrollment.userId, enrollment.id, step, now)
      : await this.ctx.store.acceptTotpStep(enrollment.userId, enrollment.id, step, now);
    if (!spent) {
      // A valid code for a step already used: a replay (ASVS 2.8.4 logs it).
      this.audit.record(subject, { type: 'totp.replay', severity: 'high', channel: 'totp', outcome: 'refused', enrollmentId: enrollment.id, reason: 'replay' });
    }
    return spent;
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
  private async verifyTotp(subject: MfaSubject, code: string, now: number, enrollmentId?: string): Promise<boolean> {
    const enrollments = await this.ctx.store.listEnrollments(subject.userId);
    for (const enrollment of enrollments) {
      if (enrollment.type !== 'totp' || enrollment.status !== 'active' || (enrollmentId !== undefined && enrollment.id !== enrollmentId)) continue;
      if (await this.spendTotp(subject, enrollment, code, now)) return true;
    }
    return false;
  }

  private async redeemBackupCode(subject: MfaSubject, input: string, now: number): Promise<boolean> {
    const code = this.ctx.backupCodes.normalize(input);
    if (!code) return false;
    const unused = await this.ctx.store.listUnusedBackupCodes(subject.userId);
    const matches = await Promise.all(unused.map((row) => this.ctx.hasher.verify(code, row.codeHash)));
    const match = unused[matches.indexOf(true)];
    if (!match) return false;
    const spent = await this.ctx.store.consumeBackupCode(subject.userId, match.id, now);
    if (spent) {
      this.audit.record(subject, { type: 'backup_code.used', severity: 'warning', channel: 'backup_code', outcome: 'success', reason: `${unused.length - 1} left` });
      this.notifications.notify(subject, { type: 'backup_code.used', channel: 'backup_code', detail: `${unused.length - 1} left` });
    }
    return spent;
  }
}
