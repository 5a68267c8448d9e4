import type { OtpDeliveryService } from '../delivery/otp-delivery.service';
import type { EnrollmentRecord, VerificationOutcome, VerificationSpend } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { Assurance } from './assurance';
import type { BackupCodeVerifier } from './backup-code.verifier';
import type { FactorType } from './factor-type';
import type { PasskeyFilter, PasskeyVerifier } from './passkey/passkey.verifier';
import type { TotpVerifier } from './totp.verifier';

/**
 * Spends one matched code, time step, backup code or passkey challenge together with what
 * its verification earns (`MfaStore.commitVerification`), so a crash cannot spend it
 * without recording it. `assurance`: what this verification proved, when the factor type
 * alone does not say (a passkey).
 */
export type SpendAndRecord = (spend: VerificationSpend, assurance?: Assurance) => Promise<VerificationOutcome>;

/** The challenge being answered, and its user's enrollments, read with it in one statement. */
export interface AnsweredChallenge {
  id: string;
  enrollments: readonly EnrollmentRecord[];
}

/** A code typed by the user, or (for `webauthn`) the assertion from `navigator.credentials.get()`. */
export type ChallengeAnswer = string | object;

/**
 * Checks an answer against the user's factors and spends it. Spending is the store's
 * conditional write; no verifier decides single use by itself.
 */
export class FactorVerifier {
  constructor(
    private readonly totp: TotpVerifier,
    private readonly backupCodes: BackupCodeVerifier,
    private readonly delivery: OtpDeliveryService,
    private readonly passkeys: PasskeyVerifier,
  ) {}

  /**
   * Throws (503 ENCRYPTION_KEY_UNAVAILABLE) when answering with `method` needs a key this
   * instance lacks. Called before the attempt is counted: an operator's deploy order must not
   * cost the user attempts or lock them out.
   */
  async requireKeys(
    subject: MfaSubject,
    method: FactorType,
    now: number,
    challenge: AnsweredChallenge,
    enrollmentId?: string,
    passkeys: PasskeyFilter = () => true,
  ): Promise<void> {
    if (method === 'totp') this.totp.requireKeys(subject, challenge.enrollments, enrollmentId);
    else if (method === 'sms' || method === 'email')
      await this.delivery.liveCode(subject, method, `challenge:${challenge.id}`, now);
    else if (method === 'webauthn') await this.passkeys.requireKeys(subject, challenge, now, passkeys);
  }

  /**
   * The challenge's id binds SMS and email codes and passkey challenges: one issued for one
   * challenge fits no other. `enrollmentId`, when the client names the app, narrows TOTP
   * to it. `passkeys` narrows the passkeys a step accepts.
   */
  async verify(
    subject: MfaSubject,
    method: FactorType,
    answer: ChallengeAnswer,
    now: number,
    challenge: AnsweredChallenge,
    commit: SpendAndRecord,
    enrollmentId?: string,
    passkeys: PasskeyFilter = () => true,
  ): Promise<boolean> {
    const challengeId = challenge.id;
    if (method === 'webauthn')
      return this.passkeys.verify(subject, answer, challengeId, now, commit, passkeys, challenge.enrollments);
    if (typeof answer !== 'string') return false;
    switch (method) {
      case 'totp':
        return this.totp.verify(subject, answer, now, commit, challenge.enrollments, enrollmentId);
      case 'backup_code':
        return this.backupCodes.redeem(subject, answer, commit);
      case 'sms':
      case 'email': {
        const live = await this.delivery.match(subject, method, `challenge:${challengeId}`, answer, now);
        return live !== null && (await commit({ kind: 'otp_code', codeId: live.id })) === 'committed';
      }
    }
  }
}
