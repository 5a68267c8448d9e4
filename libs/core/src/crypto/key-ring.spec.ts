import { randomBytes } from 'node:crypto';
import { EncryptionKeyUnavailableError } from '../errors/encryption-key-unavailable.error';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { KeyRing } from './key-ring';

const key = () => randomBytes(32).toString('base64');

describe('KeyRing', () => {
  it('refuses to boot without a key, or with a short one, and says how to fix it', () => {
    expect(() => new KeyRing(undefined)).toThrow(MfaConfigurationError);
    expect(() => new KeyRing({ keys: [] })).toThrow(/randomBytes\(32\)/);
    expect(() => new KeyRing({ keys: [{ id: 'k1', key: randomBytes(16).toString('base64') }] })).toThrow(
      /32 bytes.*got 16/,
    );
    expect(() => new KeyRing({ keys: [{ id: 'k1', key: key() }], currentKeyId: 'k9' })).toThrow(/currentKeyId "k9"/);
    try {
      new KeyRing(undefined);
    } catch (err) {
      expect((err as Error).name).toBe('MfaConfigurationError');
    }
  });

  it('reads a key written as base64, base64url or 64 hex characters, all as the same 32 bytes', () => {
    const raw = randomBytes(32);
    const sealed = new KeyRing({ keys: [{ id: 'k1', key: raw.toString('base64') }] }).seal(Buffer.from('seed'), 'aad');
    for (const key of [
      raw.toString('base64url'),
      raw.toString('hex'),
      raw.toString('hex').toUpperCase(),
      `${raw.toString('base64')}\n`,
    ]) {
      expect(new KeyRing({ keys: [{ id: 'k1', key }] }).open(sealed, 'aad').toString()).toBe('seed');
    }
  });

  it.each([
    ['48 hex characters', randomBytes(24).toString('hex'), /got 24 bytes reading it as hex/],
    ['16 bytes of base64', randomBytes(16).toString('base64'), /got 16 bytes reading it as base64/],
    ['64 bytes of base64', randomBytes(64).toString('base64'), /got 64 bytes reading it as base64/],
    ['a passphrase', 'correct horse battery staple!', /neither base64 nor hex/],
  ])('refuses %s, naming the accepted encodings and how to make a key', (_label, key, got) => {
    const boot = () => new KeyRing({ keys: [{ id: 'k1', key }] });
    expect(boot).toThrow(got);
    expect(boot).toThrow(/base64 \(44 characters\), base64url \(43\) or hex \(64\)/);
    expect(boot).toThrow(/openssl rand -hex 32/);
    expect(boot).not.toThrow(key); // the key itself never lands in a log
  });

  it('seals with a fresh IV each time and opens only with the same associated data', () => {
    const ring = new KeyRing({ keys: [{ id: 'k1', key: key() }] });
    const secret = randomBytes(20);
    const a = ring.seal(secret, 'user-1|enr-1');
    const b = ring.seal(secret, 'user-1|enr-1');
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
    expect(ring.open(a, 'user-1|enr-1')).toEqual(secret);
    expect(() => ring.open(a, 'user-2|enr-1')).toThrow();
    const tampered = a.slice(0, -3) + (a.endsWith('A') ? 'BBB' : 'AAA');
    expect(() => ring.open(tampered, 'user-1|enr-1')).toThrow();
  });

  it('writes with the current key and reads with every listed key', () => {
    const k1 = key();
    const old = new KeyRing({ keys: [{ id: 'k1', key: k1 }] });
    const sealed = old.seal(Buffer.from('seed'), 'aad');
    const rotated = new KeyRing({
      keys: [
        { id: 'k2', key: key() },
        { id: 'k1', key: k1 },
      ],
    });
    expect(rotated.open(sealed, 'aad').toString()).toBe('seed');
    expect(rotated.keyIdOf(rotated.seal(Buffer.from('seed'), 'aad'))).toBe('k2');
    expect(() => new KeyRing({ keys: [{ id: 'k2', key: key() }] }).open(sealed, 'aad')).toThrow();
  });
  // A rolling deploy: another instance already writes with a key this one was not given.
  it('tells a key it does not hold apart from a tampered envelope', () => {
    const k1 = { id: 'k1', key: key() };
    const newer = new KeyRing({ keys: [{ id: 'k2', key: key() }, k1] });
    const older = new KeyRing({ keys: [k1] });
    const sealed = newer.seal(Buffer.from('seed'), 'aad');
    expect(() => older.requireKeyFor(sealed)).toThrow(EncryptionKeyUnavailableError);
    expect(() => newer.requireKeyFor(sealed)).not.toThrow();
    expect(() => older.open(sealed, 'aad')).toThrow(EncryptionKeyUnavailableError);
    try {
      older.open(sealed, 'aad');
    } catch (err) {
      expect(err).toMatchObject({ keyId: 'k2', code: 'ENCRYPTION_KEY_UNAVAILABLE', status: 503, details: {} });
      expect((err as Error).message).not.toContain('k2');
    }
    const underK1 = older.seal(Buffer.from('seed'), 'aad');
    const tampered = underK1.slice(0, -3) + (underK1.endsWith('A') ? 'BBB' : 'AAA');
    for (const broken of [tampered, 'v1.k1.x', 'v2.k2.a.b.c', 'v1.no such id!.a.b.c']) {
      expect(() => older.open(broken, 'aad')).toThrow();
      expect(() => older.open(broken, 'aad')).not.toThrow(EncryptionKeyUnavailableError);
      expect(() => older.requireKeyFor(broken)).not.toThrow();
    }
    expect(() => older.open(underK1, 'other aad')).not.toThrow(EncryptionKeyUnavailableError);
  });

  it('matches no digest under a key it does not hold, and says so when asked', () => {
    const k1 = { id: 'k1', key: key() };
    const newer = new KeyRing({ keys: [{ id: 'k2', key: key() }, k1] });
    const older = new KeyRing({ keys: [k1] });
    const digest = newer.digest('123456');
    expect(newer.digestMatches(digest, '123456')).toBe(true);
    expect(older.digestMatches(digest, '123456')).toBe(false);
    expect(() => older.requireDigestKey(digest)).toThrow(EncryptionKeyUnavailableError);
    expect(() => newer.requireDigestKey(digest)).not.toThrow();
    for (const other of [older.digest('123456'), 'garbage', 'no such id!.mac'])
      expect(() => older.requireDigestKey(other)).not.toThrow();
  });
});
