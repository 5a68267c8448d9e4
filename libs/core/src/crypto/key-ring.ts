import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptionKeyUnavailableError } from '../errors/encryption-key-unavailable.error';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';

export interface EncryptionKey {
  /** A short stable id stored next to each ciphertext, so old keys can still read. */
  id: string;
  /** 32 bytes as base64 (44 characters), base64url (43) or hex (64). */
  key: string;
}

export interface KeyRingOptions {
  keys: EncryptionKey[];
  /** The key new writes use. @default the first key in `keys` */
  currentKeyId?: string;
}

const ENVELOPE_VERSION = 'v1';
const HOW_TO_FIX =
  "Generate a key with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\" " +
  "(or `openssl rand -base64 32`, or `openssl rand -hex 32`) and pass it as encryption: { keys: [{ id: 'k1', key: '<key>' }] }.";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const HEX = /^[0-9a-fA-F]*$/;
// Both alphabets and optional padding: Buffer would silently skip any other character.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * AES-256-GCM sealing for secrets at rest. Every seal uses a fresh 96-bit IV, and the
 * associated data binds the ciphertext to its owner and purpose: a ciphertext copied
 * into another user's row fails authentication instead of decrypting.
 * This is the only place secrets are encrypted or decrypted.
 */
export class KeyRing {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(options: KeyRingOptions | undefined) {
    if (!options?.keys?.length) throw new MfaConfigurationError(`nestjs-mfa needs an encryption key. ${HOW_TO_FIX}`);
    for (const { id, key } of options.keys) {
      if (!id || !KEY_ID.test(id)) {
        throw new MfaConfigurationError(`Encryption key id "${id}" is invalid: use 1-32 letters, digits, "_" or "-".`);
      }
      const bytes = decodeKey(id, key);
      if (this.keys.has(id)) throw new MfaConfigurationError(`Encryption key id "${id}" is listed twice.`);
      this.keys.set(id, bytes);
    }
    this.currentKeyId = options.currentKeyId ?? options.keys[0].id;
    if (!this.keys.has(this.currentKeyId)) {
      throw new MfaConfigurationError(`currentKeyId "${this.currentKeyId}" is not among the configured keys.`);
    }
  }

  seal(plaintext: Buffer, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [ENVELOPE_VERSION, this.currentKeyId, ...parts].join('.');
  }

  /**
   * Throws `EncryptionKeyUnavailableError` when a well-formed envelope names a key this
   * instance lacks: the operator's to fix, so callers must not count it as the user's failure.
   */
  requireKeyFor(envelope: string): void {
    const keyId = envelope.split('.')[1];
    if (wellFormed(envelope) && !this.keys.has(keyId)) throw new EncryptionKeyUnavailableError(keyId);
  }

  /** Throws on a tampered envelope or mismatched associated data, and as `requireKeyFor` does. */
  open(envelope: string, associatedData: string): Buffer {
    if (!wellFormed(envelope)) throw new Error('Sealed secret cannot be opened');
    this.requireKeyFor(envelope);
    const [, keyId, iv, body, tag] = envelope.split('.');
    const key = this.keys.get(keyId)!;
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  /**
   * A keyed digest for low-entropy values kept only to be compared later (a six-digit
   * code, a phone number as a rate-limit key): without the key, a leaked table cannot be
   * brute-forced offline. Tagged with the key id, so a rotation does not void live codes.
   */
  digest(data: string): string {
    return `${this.currentKeyId}.${this.mac(this.currentKeyId, data)}`;
  }

  /**
   * As `requireKeyFor`, for a digest: where "no match" would count as the user's wrong answer,
   * a digest made under a key this instance lacks must be told apart first.
   */
  requireDigestKey(digest: string): void {
    const [keyId, mac] = digest.split('.');
    if (mac && KEY_ID.test(keyId) && !this.keys.has(keyId)) throw new EncryptionKeyUnavailableError(keyId);
  }

  /** Constant-time comparison of `data` against a digest made by `digest`. */
  digestMatches(digest: string, data: string): boolean {
    const [keyId, mac] = digest.split('.');
    if (!mac || !this.keys.has(keyId)) return false;
    const expected = Buffer.from(this.mac(keyId, data), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(keyId: string, data: string): string {
    // A subkey of its own, so the encryption key is never used as a MAC key directly.
    const subkey = createHmac('sha256', this.keys.get(keyId)!).update('nestjs-mfa|digest-key').digest();
    return createHmac('sha256', subkey).update(data, 'utf8').digest('base64url');
  }

  keyIdOf(envelope: string): string {
    return envelope.split('.')[1];
  }
}

function wellFormed(envelope: string): boolean {
  const [version, keyId, iv, , tag] = envelope.split('.');
  return version === ENVELOPE_VERSION && KEY_ID.test(keyId ?? '') && Boolean(iv) && Boolean(tag);
}

/**
 * 64 hex characters are read as hex, not base64 (where they would be 48 bytes), since that
 * is what `openssl rand -hex 32` prints. The message never echoes the key itself.
 */
function decodeKey(id: string, key: string | undefined): Buffer {
  const text = (key ?? '').trim();
  const asHex = HEX.test(text) && text.length % 2 === 0 && text.length > 0;
  if (asHex && text.length === 64) return Buffer.from(text, 'hex');
  const encoding = asHex ? 'hex' : BASE64.test(text) ? 'base64' : undefined;
  const bytes = encoding ? Buffer.from(text, encoding) : undefined;
  if (encoding === 'base64' && bytes!.length === 32) return bytes!;
  const got = bytes
    ? `got ${bytes.length} bytes reading it as ${encoding}`
    : 'got characters that are neither base64 nor hex';
  throw new MfaConfigurationError(
    `Encryption key "${id}" must be 32 bytes, written as base64 (44 characters), base64url (43) or hex (64): ${got}. ${HOW_TO_FIX}`,
  );
}
