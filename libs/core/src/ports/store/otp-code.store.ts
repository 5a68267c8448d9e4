export type OtpChannel = 'sms' | 'email' | 'webauthn';

/**
 * A code sent by SMS or email, bound to one user, channel and purpose
 * (`challenge:<id>` or `enroll:<enrollmentId>`). Only its keyed digest is stored. A WebAuthn
 * challenge is kept the same way (channel `webauthn`, purpose `webauthn|challenge:<id>` or
 * `webauthn|enroll:<id>`): random, bound, short-lived and spent once.
 */
export interface OtpCodeRecord {
  id: string;
  userId: string;
  channel: OtpChannel;
  enrollmentId: string;
  purpose: string;
  codeDigest: string;
  createdAt: number;
  expiresAt: number;
}

export interface OtpCodeStore {
  /** Kills every live code of the user for `purpose` (a resend replaces), then stores `record`. Returns how many died. */
  replaceOtpCode(record: OtpCodeRecord, now: number): Promise<number>;
  /** The newest live (unspent, unexpired, not replaced) code for the purpose and channel. */
  findLiveOtpCode(userId: string, purpose: string, channel: OtpChannel, now: number): Promise<OtpCodeRecord | null>;
  consumeOtpCode(userId: string, codeId: string, now: number): Promise<boolean>;
  /** The provider's message id and status when it took the message. */
  recordOtpDelivery(codeId: string, provider: string, messageId: string | null, status: string | null): Promise<void>;
  /** A provider's later delivery report; returns the code's user, or null for an unknown message. */
  updateDeliveryStatus(
    provider: string,
    messageId: string,
    status: string,
    now: number,
  ): Promise<{ userId: string; channel: string } | null>;
}
