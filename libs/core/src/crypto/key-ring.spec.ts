import { randomBytes } from 'node:crypto';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { KeyRing } from './key-ring';

const key = () => randomBytes(32).toString('base64');

describe('KeyRing', () => {
  it('refuses to boot without a key, or with a short one, and says how to fix it', () => {
    expect(() => new KeyRing(undefined)).toThrow(MfaConfigurationError);
    expect(() => new KeyRing({ keys: [] })).toThrow(/randomBytes\(32\)/);
    expect(() => new KeyRing({ keys: [{ id: 'k1', key: randomBytes(16).toString('base64') }] })).toThrow(/32 bytes.*got 16/);
    expect(() => new KeyRing({ keys: [{ id: 'k1', key: key() }], currentKeyId: 'k9' })).toThrow(/currentKeyId "k9"/);
    try {
      new KeyRing(undefined);
    } catch (err) {
      expect((err as Error).name).toBe('MfaConfigurationError');
    }
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
    const rotated = new KeyRing({ keys: [{ id: 'k2', key: key() }, { id: 'k1', key: k1 }] });
    expect(rotated.open(sealed, 'aad').toString()).toBe('seed');
    expect(rotated.keyIdOf(rotated.seal(Buffer.from('seed'), 'aad'))).toBe('k2');
    expect(() => new KeyRing({ keys: [{ id: 'k2', key: key() }] }).open(sealed, 'aad')).toThrow();
  });
});
