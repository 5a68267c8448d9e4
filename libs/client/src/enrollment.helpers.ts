import type { RegistrationResponseJSON } from '../../core/src';
import type { MfaTransport } from './client.transport.js';
import type {
  DeliveryEnrollmentResendResult,
  DeliveryEnrollmentStartResult,
  EnrollmentListResult,
  FactorConfirmedResult,
  FactorRemovedResult,
  FactorRenamedResult,
  PasskeyEnrollmentStartResult,
  TotpEnrollmentStartResult,
} from './client.types.js';
import type { PasskeyCeremonies } from './passkey.ceremony.js';

/**
 * The signed-in user's factors. Adding one when the user has a factor, renaming and removing
 * need a recent verification: the server answers `401 MFA_REQUIRED` and the client prompts
 * through `onChallenge`, as for any route. A confirmation returns the first backup codes once.
 */
export interface MfaEnrollments {
  /** Active factors (metadata only) and how many backup codes are left. */
  list(): Promise<EnrollmentListResult>;
  /** The secret, its `otpauth://` URI and a QR code as SVG: the only answer that ever carries the seed. */
  startTotp(label?: string): Promise<TotpEnrollmentStartResult>;
  confirmTotp(enrollmentId: string, code: string): Promise<FactorConfirmedResult>;
  /** Sends a code to the phone (E.164, e.g. `+905321234567`). */
  startSms(phone: string, label?: string): Promise<DeliveryEnrollmentStartResult>;
  resendSms(enrollmentId: string): Promise<DeliveryEnrollmentResendResult>;
  confirmSms(enrollmentId: string, code: string): Promise<FactorConfirmedResult>;
  startEmail(email: string, label?: string): Promise<DeliveryEnrollmentStartResult>;
  resendEmail(enrollmentId: string): Promise<DeliveryEnrollmentResendResult>;
  confirmEmail(enrollmentId: string, code: string): Promise<FactorConfirmedResult>;
  /** The creation options for the browser's passkey prompt, bound to this pending enrollment. */
  startPasskey(label?: string): Promise<PasskeyEnrollmentStartResult>;
  confirmPasskey(enrollmentId: string, response: RegistrationResponseJSON): Promise<FactorConfirmedResult>;
  /** The whole registration: start, the browser's prompt, confirmation. */
  registerPasskey(label?: string): Promise<FactorConfirmedResult>;
  rename(enrollmentId: string, label: string): Promise<FactorRenamedResult>;
  remove(enrollmentId: string): Promise<FactorRemovedResult>;
}

export function enrollmentHelpers(t: MfaTransport, ceremonies: PasskeyCeremonies): MfaEnrollments {
  const labelled = (label?: string) => (label === undefined ? {} : { label });
  const enrollments: MfaEnrollments = {
    list: () => t.call('GET /enrollments', {}),
    startTotp: (label) => t.call('POST /totp/enrollments', {}, labelled(label)),
    confirmTotp: (enrollmentId, code) =>
      t.call('POST /totp/enrollments/:enrollmentId/confirm', { enrollmentId }, { code }),
    startSms: (phone, label) => t.call('POST /sms/enrollments', {}, { phone, ...labelled(label) }),
    resendSms: (enrollmentId) => t.call('POST /sms/enrollments/:enrollmentId/resend', { enrollmentId }),
    confirmSms: (enrollmentId, code) =>
      t.call('POST /sms/enrollments/:enrollmentId/confirm', { enrollmentId }, { code }),
    startEmail: (email, label) => t.call('POST /email/enrollments', {}, { email, ...labelled(label) }),
    resendEmail: (enrollmentId) => t.call('POST /email/enrollments/:enrollmentId/resend', { enrollmentId }),
    confirmEmail: (enrollmentId, code) =>
      t.call('POST /email/enrollments/:enrollmentId/confirm', { enrollmentId }, { code }),
    startPasskey: (label) => t.call('POST /webauthn/enrollments', {}, labelled(label)),
    confirmPasskey: (enrollmentId, response) =>
      t.call('POST /webauthn/enrollments/:enrollmentId/confirm', { enrollmentId }, { response }),
    registerPasskey: async (label) => {
      const { enrollmentId, options } = await enrollments.startPasskey(label);
      return enrollments.confirmPasskey(enrollmentId, await ceremonies.register(options));
    },
    rename: (enrollmentId, label) => t.call('PATCH /enrollments/:enrollmentId', { enrollmentId }, { label }),
    remove: (enrollmentId) => t.call('DELETE /enrollments/:enrollmentId', { enrollmentId }),
  };
  return enrollments;
}
