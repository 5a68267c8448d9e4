/** Associated data for a TOTP seed: binds the ciphertext to its user, enrollment and purpose. */
export function totpSecretAad(userId: string, enrollmentId: string): string {
  return `nestjs-mfa|totp-secret|${userId}|${enrollmentId}`;
}
