import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { betterAuthDecrypt, fromBetterAuthRow, parseBetterAuthSecrets } from './better-auth-twofactor';
import { hchacha20 } from './xchacha20-poly1305';

const BENCH = join(__dirname, '..', '..', '..', '..', 'bench', 'better-auth');

/** Ciphertexts made by Better Auth's own `symmetricEncrypt` (bench/better-auth, ESM), one per [key, text]. */
function betterAuthEncrypt(jobs: Array<[key: unknown, data: string]>): string[] {
  if (!existsSync(join(BENCH, 'node_modules', 'better-auth')))
    throw new Error('These cases encrypt with the real Better Auth: run `npm ci` in bench/better-auth first.');
  const script = `
    import { symmetricEncrypt } from 'better-auth/crypto';
    const jobs = JSON.parse(process.env.JOBS);
    const key = (k) => typeof k === 'string' ? k : { keys: new Map(k.keys), currentVersion: k.currentVersion, legacySecret: k.legacySecret };
    const out = [];
    for (const [k, data] of jobs) out.push(await symmetricEncrypt({ key: key(k), data }));
    process.stdout.write(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: BENCH,
    env: { ...process.env, JOBS: JSON.stringify(jobs) },
  });
  return JSON.parse(stdout.toString()) as string[];
}

describe("Better Auth's twoFactor rows", () => {
  it('HChaCha20 matches draft-irtf-cfrg-xchacha §2.2.1', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
    const nonce = Buffer.from('000000090000004a0000000031415927', 'hex');
    expect(hchacha20(key, nonce).toString('hex')).toBe(
      '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc',
    );
  });

  const secret = 'a-better-auth-secret-of-at-least-32-characters';
  const versioned = {
    keys: [
      [2, 'the-new-secret-version-2-xxxxxxxxxxxx'],
      [1, secret],
    ],
    currentVersion: 2,
  };
  const codes = ['mrpmt-8aU0J', '5u4Wa-yzcVr', 'BH1Wi-qXM6l'];
  const [bare, enveloped, base32Secret, sealedCodes] = betterAuthEncrypt([
    [secret, 'Zx9_-aQ3rT7yU2iO5pL8kJ4hG6fD1sA0'],
    [versioned, 'Zx9_-aQ3rT7yU2iO5pL8kJ4hG6fD1sA0'],
    [secret, 'base32:gezdgnbvgy3tqojqgezdgnbvgy3tqojq'],
    [secret, JSON.stringify(codes)],
  ]);

  it("decrypts what Better Auth's symmetricEncrypt made, bare and in a versioned envelope", () => {
    expect(betterAuthDecrypt(bare, { secret })).toBe('Zx9_-aQ3rT7yU2iO5pL8kJ4hG6fD1sA0');
    expect(enveloped).toMatch(/^\$ba\$2\$/);
    const versions = parseBetterAuthSecrets('2:the-new-secret-version-2-xxxxxxxxxxxx, 1:' + secret);
    expect(betterAuthDecrypt(enveloped, { versions })).toBe('Zx9_-aQ3rT7yU2iO5pL8kJ4hG6fD1sA0');
    expect(() => betterAuthDecrypt(bare, { secret: 'another-secret' })).toThrow(/does not decrypt/);
    expect(() => betterAuthDecrypt(enveloped, { secret })).toThrow(/version 2/);
    expect(() => betterAuthDecrypt(bare.slice(0, -2) + (bare.endsWith('00') ? '11' : '00'), { secret })).toThrow();
  });

  it('maps a row: the UTF-8 bytes of the secret (or a base32: secret), SHA-1, the configured digits and period, the codes', () => {
    const row = { id: 't1', userId: 'u1', secret: bare, backupCodes: sealedCodes, verified: 1 };
    const mapped = fromBetterAuthRow(row, { index: 0 }, { secret }, { digits: 8, period: 60 });
    expect(mapped).toEqual({
      position: { index: 0 },
      fields: {
        userId: 'u1',
        secret: Buffer.from('Zx9_-aQ3rT7yU2iO5pL8kJ4hG6fD1sA0', 'utf8'),
        algorithm: 'SHA1',
        digits: 8,
        period: 60,
        backupCodes: codes,
      },
    });
    const imported = fromBetterAuthRow(
      { ...row, secret: base32Secret, backupCodes: JSON.stringify(codes) },
      {},
      { secret },
    );
    expect(imported).toMatchObject({ fields: { secret: Buffer.from('12345678901234567890'), backupCodes: codes } });
  });

  it('refuses an unverified row and a row the secret does not open, naming the field', () => {
    const row = { id: 't1', userId: 'u1', secret: bare, backupCodes: sealedCodes, verified: 0 };
    expect(fromBetterAuthRow(row, { index: 3 }, { secret })).toEqual([
      expect.objectContaining({ index: 3, userId: 'u1', field: 'verified', code: 'NOT_ENABLED' }),
    ]);
    expect(fromBetterAuthRow({ ...row, verified: null }, {}, { secret: 'wrong' })).toEqual([
      expect.objectContaining({ field: 'secret', code: 'SOURCE_UNREADABLE' }),
    ]);
    expect(fromBetterAuthRow({ ...row, verified: true, backupCodes: 'zz' }, {}, { secret })).toEqual([
      expect.objectContaining({ field: 'backupCodes', code: 'SOURCE_UNREADABLE' }),
    ]);
  });
});
