import { createDecipheriv } from 'node:crypto';

const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]; // "expand 32-byte k"

const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0;

function quarterRound(s: Uint32Array, a: number, b: number, c: number, d: number): void {
  s[a] = (s[a] + s[b]) >>> 0;
  s[d] = rotl(s[d] ^ s[a], 16);
  s[c] = (s[c] + s[d]) >>> 0;
  s[b] = rotl(s[b] ^ s[c], 12);
  s[a] = (s[a] + s[b]) >>> 0;
  s[d] = rotl(s[d] ^ s[a], 8);
  s[c] = (s[c] + s[d]) >>> 0;
  s[b] = rotl(s[b] ^ s[c], 7);
}

/** HChaCha20 (draft-irtf-cfrg-xchacha §2.2): a subkey from a 256-bit key and the nonce's first 16 bytes. */
export function hchacha20(key: Uint8Array, nonce16: Uint8Array): Buffer {
  const k = Buffer.from(key);
  const n = Buffer.from(nonce16);
  const s = new Uint32Array(16);
  SIGMA.forEach((w, i) => (s[i] = w));
  for (let i = 0; i < 8; i++) s[4 + i] = k.readUInt32LE(i * 4);
  for (let i = 0; i < 4; i++) s[12 + i] = n.readUInt32LE(i * 4);
  for (let round = 0; round < 10; round++) {
    quarterRound(s, 0, 4, 8, 12);
    quarterRound(s, 1, 5, 9, 13);
    quarterRound(s, 2, 6, 10, 14);
    quarterRound(s, 3, 7, 11, 15);
    quarterRound(s, 0, 5, 10, 15);
    quarterRound(s, 1, 6, 11, 12);
    quarterRound(s, 2, 7, 8, 13);
    quarterRound(s, 3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((w, i) => out.writeUInt32LE(s[w], i * 4));
  return out;
}

/**
 * XChaCha20-Poly1305 decryption over Node's ChaCha20-Poly1305: the subkey from HChaCha20,
 * then the IETF construction with the nonce's last 8 bytes behind four zero bytes. Throws
 * when the tag does not verify (a wrong key or a changed ciphertext).
 */
export function xchacha20poly1305Open(key: Uint8Array, nonce24: Uint8Array, sealed: Uint8Array): Buffer {
  if (key.length !== 32 || nonce24.length !== 24 || sealed.length < 16)
    throw new Error('Malformed XChaCha20-Poly1305 input');
  const subkey = hchacha20(key, nonce24.subarray(0, 16));
  const nonce = Buffer.concat([Buffer.alloc(4), Buffer.from(nonce24.subarray(16, 24))]);
  try {
    const decipher = createDecipheriv('chacha20-poly1305', subkey, nonce, { authTagLength: 16 });
    decipher.setAuthTag(Buffer.from(sealed.subarray(sealed.length - 16)));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
  } finally {
    // Also when the tag check throws: a wrong key must not leave its subkey in memory either.
    subkey.fill(0);
  }
}
