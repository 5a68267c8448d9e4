/** Associated data for a TOTP seed: binds the ciphertext to its user, enrollment and purpose. */
export function totpSecretAad(userId: string, enrollmentId: string): string {
  return `nestjs-mfa|totp-secret|${userId}|${enrollmentId}`;
}

/** Associated data for a bound phone number or email address. */
export function deliveryTargetAad(channel: 'sms' | 'email', userId: string, enrollmentId: string): string {
  return `nestjs-mfa|${channel}-target|${userId}|${enrollmentId}`;
}

/** The associated data of whatever an enrollment keeps sealed. */
export function sealedAadOf(enrollment: { type: 'totp' | 'sms' | 'email'; userId: string; id: string }): string {
  return enrollment.type === 'totp'
    ? totpSecretAad(enrollment.userId, enrollment.id)
    : deliveryTargetAad(enrollment.type, enrollment.userId, enrollment.id);
}
