import type { OtpDeliveryService } from '../delivery/otp-delivery.service';
import type { VerificationOutcome, VerificationSpend } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { BackupCodeVerifier } from './backup-code.verifier';
import type { FactorType } from './factor-type';
import type { TotpVerifier } from './totp.verifier';

/**
 * Spends one matched code, time step or backup code together with what its verification
 * earns (`MfaStore.commitVerification`), so a crash cannot spend it without recording it.
 */
export type SpendAndRecord = (spend: VerificationSpend) => Promise<VerificationOutcome>;

/**
 * Checks a code against the user's factors and spends it. Spending is the store's
 * conditional write; no verifier decides single use by itself.
 */
export class FactorVerifier {
  constructor(
    private readonly totp: TotpVerifier,
    private readonly backupCodes: BackupCodeVerifier,
    private readonly delivery: OtpDeliveryService,
  ) {}

  /**
   * `challengeId` binds SMS and email codes: a code sent for one challenge fits no other.
   * `enrollmentId`, when the client names the app, narrows TOTP to it. SMS and email codes
   * already name their target (chosen at send), and backup codes belong to no enrollment.
   */
  async verify(
    subject: MfaSubject,
    method: FactorType,
    code: string,
    now: number,
    challengeId: string,
    commit: SpendAndRecord,
    enrollmentId?: string,
  ): Promise<boolean> {
    switch (method) {
      case 'totp':
        return this.totp.verify(subject, code, now, commit, enrollmentId);
      case 'backup_code':
        return this.backupCodes.redeem(subject, code, commit);
      case 'sms':
      case 'email': {
        const live = await this.delivery.match(subject, method, `challenge:${challengeId}`, code, now);
        return live !== null && (await commit({ kind: 'otp_code', codeId: live.id })) === 'committed';
      }
    }
  }
}
