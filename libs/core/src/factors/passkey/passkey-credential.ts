import type { KeyRing } from '../../crypto/key-ring';
import { passkeyCredentialAad } from '../../crypto/secret-aad';
import { isEncryptionKeyUnavailable } from '../../errors/encryption-key-unavailable.error';
import type { EnrollmentRecord } from '../../ports/mfa-store.port';

/** What the sealed secret of a passkey enrollment holds. */
export interface PasskeyCredential {
  id: string;
  publicKey: Uint8Array;
  transports: string[];
}

interface Sealed {
  id: string;
  publicKey: string;
  transports: string[];
}

/**
 * A public key is not a secret, but sealing it under the user and enrollment (AAD) means a
 * row copied to another user's enrollment fails to open: the same binding every factor has.
 */
export function sealPasskey(
  keyRing: KeyRing,
  credential: PasskeyCredential,
  userId: string,
  enrollmentId: string,
): string {
  const sealed: Sealed = {
    id: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    transports: credential.transports,
  };
  return keyRing.seal(Buffer.from(JSON.stringify(sealed), 'utf8'), passkeyCredentialAad(userId, enrollmentId));
}

/**
 * Null when the envelope does not open under this row's user and enrollment. A key this
 * instance lacks throws instead (`EncryptionKeyUnavailableError`, a 503): that passkey may
 * be the one answering, so "not among this user's" would be a wrong refusal.
 */
export function openPasskey(keyRing: KeyRing, enrollment: EnrollmentRecord): PasskeyCredential | null {
  try {
    const plain = keyRing.open(enrollment.sealedSecret, passkeyCredentialAad(enrollment.userId, enrollment.id));
    const sealed = JSON.parse(plain.toString('utf8')) as Sealed;
    return {
      id: sealed.id,
      publicKey: new Uint8Array(Buffer.from(sealed.publicKey, 'base64url')),
      transports: sealed.transports,
    };
  } catch (err) {
    if (isEncryptionKeyUnavailable(err)) throw err;
    return null;
  }
}
