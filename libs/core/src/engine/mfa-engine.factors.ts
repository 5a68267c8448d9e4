import type { DeliveryChannel } from '../delivery/otp-delivery.service';
import type { DeliveryEnrollmentStart, TotpEnrollmentStart } from '../enrollment/enrollment.service';
import type { EnrollmentSummary, FactorView } from '../enrollment/factor-view';
import type { PasskeyEnrollmentStart } from '../factors/passkey/passkey-enrollment';
import type { RegistrationResponseJSON } from '../factors/passkey/webauthn.ceremony';
import type { MfaCoreOptions } from '../options/mfa-core.options';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';
import { MfaEngineAdmin } from './mfa-engine.admin';

/**
 * The user's own factors: binding TOTP apps, phones, addresses and passkeys, listing,
 * renaming and removing them, and backup codes. A base class only so each part of
 * `MfaEngine` reads on its own.
 */
export abstract class MfaEngineFactors extends MfaEngineAdmin {
  protected constructor(options: MfaCoreOptions) {
    super(options);
  }

  startTotpEnrollment(subject: MfaSubject, label?: string, context: RequestContext = {}): Promise<TotpEnrollmentStart> {
    return this.services.enrollments.startTotp(subject, label, context);
  }

  confirmTotpEnrollment(
    subject: MfaSubject,
    enrollmentId: string,
    code: string,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.services.enrollments.confirmTotp(subject, enrollmentId, code, context);
  }

  /** Binds a phone number (E.164) or email address; the code sent to it confirms the binding. */
  startDeliveryEnrollment(
    subject: MfaSubject,
    channel: DeliveryChannel,
    target: string,
    label?: string,
    context: RequestContext = {},
  ): Promise<DeliveryEnrollmentStart> {
    return this.services.enrollments.startDelivery(subject, channel, target, label, context);
  }

  resendDeliveryEnrollment(
    subject: MfaSubject,
    channel: DeliveryChannel,
    enrollmentId: string,
  ): Promise<DeliveryEnrollmentStart> {
    return this.services.enrollments.resendDelivery(subject, channel, enrollmentId);
  }

  confirmDeliveryEnrollment(
    subject: MfaSubject,
    channel: DeliveryChannel,
    enrollmentId: string,
    code: string,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.services.enrollments.confirmDelivery(subject, channel, enrollmentId, code, context);
  }

  /**
   * Starts registering a passkey: the options for `navigator.credentials.create()`, whose
   * challenge only this enrollment accepts. Needs a fresh verification when the user has a factor.
   */
  startPasskeyEnrollment(
    subject: MfaSubject,
    label?: string,
    context: RequestContext = {},
  ): Promise<PasskeyEnrollmentStart> {
    return this.services.passkeys.start(subject, label, context);
  }

  /** Confirms a passkey with the browser's attestation response; any flaw is INVALID_CODE. */
  confirmPasskeyEnrollment(
    subject: MfaSubject,
    enrollmentId: string,
    response: RegistrationResponseJSON,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.services.passkeys.confirm(subject, enrollmentId, response, context);
  }

  listEnrollments(subject: MfaSubject): Promise<EnrollmentSummary> {
    return this.services.enrollments.list(subject);
  }

  regenerateBackupCodes(subject: MfaSubject, context: RequestContext = {}): Promise<string[]> {
    return this.services.backupCodes.regenerate(subject, context);
  }

  /** Removes one of the user's factors (needs a fresh verification; never the last while enrollment is mandatory). */
  removeFactor(subject: MfaSubject, enrollmentId: string, context: RequestContext = {}): Promise<void> {
    return this.services.lifecycle.removeOwnFactor(subject, enrollmentId, context);
  }

  /** Renames one of the user's factors (needs a fresh verification); the label is trimmed, 1–64 characters. */
  renameFactor(
    subject: MfaSubject,
    enrollmentId: string,
    label: string,
    context: RequestContext = {},
  ): Promise<FactorView> {
    return this.services.lifecycle.renameOwnFactor(subject, enrollmentId, label, context);
  }
}
