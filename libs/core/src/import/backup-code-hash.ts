/**
 * Already-hashed backup codes are kept only in a format this project verifies: the
 * CodeHasher's `scrypt$N$r$p$salt$key`. bcrypt and Argon2 would need packages the project
 * does not ship (Node 20 has neither), and an unsalted digest is not a look-up secret's
 * storage NIST 800-63B accepts; each is refused with its reason.
 */
const B64URL = /^[A-Za-z0-9_-]+$/;
/** The CodeHasher derives 32-byte keys and compares lengths: any other length never matches. */
const KEY_BYTES = 32;
/** NIST 800-63B: a salt of at least 32 bits. */
const MIN_SALT_BYTES = 4;
// Not cheaper than the project's default (N = 2^14, r = 8), and not so costly that ten
// codes checked at one sign-in become a denial of service.
const MIN_LOG_N = 14;
const MAX_LOG_N = 17;

/** Null when the hash can be stored and verified as it is; else why not. */
export function checkCodeHash(hash: string): string | null {
  if (/^\$2[abxy]?\$/.test(hash))
    return 'bcrypt hashes cannot be verified here (no bcrypt in Node); only scrypt$N$r$p$salt$key';
  if (/^\$argon2(id|i|d)\$/.test(hash))
    return 'Argon2 hashes cannot be verified here (not in Node 20); only scrypt$N$r$p$salt$key';
  if (/^[0-9a-f]{32,128}$/i.test(hash))
    return 'an unsalted digest is not a password-KDF hash; only scrypt$N$r$p$salt$key';
  const [scheme, N, r, p, salt, key, ...rest] = hash.split('$');
  if (scheme !== 'scrypt' || rest.length || key === undefined) return 'unknown format; only scrypt$N$r$p$salt$key';
  const n = Number(N);
  const logN = Math.log2(n);
  if (!/^\d+$/.test(N) || !Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N)
    return `scrypt N must be a power of two from 2^${MIN_LOG_N} to 2^${MAX_LOG_N}`;
  if (!/^\d+$/.test(r) || +r < 8 || +r > 16) return 'scrypt r must be from 8 to 16';
  if (!/^\d+$/.test(p) || +p < 1 || +p > 4) return 'scrypt p must be from 1 to 4';
  if (!B64URL.test(salt) || Buffer.from(salt, 'base64url').length < MIN_SALT_BYTES)
    return `scrypt salt must be base64url, at least ${MIN_SALT_BYTES} bytes`;
  if (!B64URL.test(key) || Buffer.from(key, 'base64url').length !== KEY_BYTES)
    return `scrypt key must be base64url, ${KEY_BYTES} bytes`;
  return null;
}
