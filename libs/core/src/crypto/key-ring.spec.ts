import { randomBytes } from 'node:crypto';
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
});
