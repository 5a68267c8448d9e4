/** Associated data for a TOTP seed: binds the ciphertext to its user, enrollment and purpose. */
export function totpSecretAad(userId: string, enrollmentId: string): string {
  return `nestjs-mfa|totp-secret|${userId}|${enrollmentId}`;
}

/** Associated data for a bound phone number or email address. */
export function deliveryTargetAad(channel: 'sms' | 'email', userId: string, enrollmentId: string): string {
  return `nestjs-mfa|${channel}-target|${userId}|${enrollmentId}`;
}

/** Associated data for a passkey's credential ID and public key: not secrets, but bound to their user all the same. */
export function passkeyCredentialAad(userId: string, enrollmentId: string): string {
  return `nestjs-mfa|webauthn-credential|${userId}|${enrollmentId}`;
}

/** The associated data of whatever an enrollment keeps sealed. */
export function sealedAadOf(enrollment: {
  type: 'totp' | 'sms' | 'email' | 'webauthn';
  userId: string;
  id: string;
}): string {
  if (enrollment.type === 'totp') return totpSecretAad(enrollment.userId, enrollment.id);
  if (enrollment.type === 'webauthn') return passkeyCredentialAad(enrollment.userId, enrollment.id);
  return deliveryTargetAad(enrollment.type, enrollment.userId, enrollment.id);
}
