// Invariant: our TOTP arithmetic reproduces every known-answer vector of RFC 4226 App. D and
// RFC 6238 App. B (per-algorithm seeds, errata 2866).
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { generateSync as hotp } from '@otplib/hotp';
import { fromBase32, toBase32 } from './base32';
import { TotpFactor } from './totp.factor';
import { TotpAlgorithm } from './totp-profile';

const ascii = (s: string) => Buffer.from(s, 'ascii');
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: ascii('12345678901234567890'),
  sha256: ascii('12345678901234567890123456789012'),
  sha512: ascii('1234567890'.repeat(6) + '1234'),
};

const RFC6238: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('RFC 4226 HOTP vectors', () => {
  const codes = '755224 287082 359152 969429 338314 254676 287922 162583 399871 520489'.split(' ');

  it('the base32 secret decodes to the RFC seed', () => {
    expect(fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')).toEqual(SEEDS.sha1);
    expect(toBase32(SEEDS.sha1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });

  it.each(codes.map((code, counter) => [counter, code]))('count %i → %s', (counter, code) => {
    expect(hotp({ secret: SEEDS.sha1, counter, crypto: new NodeCryptoPlugin() })).toBe(code);
  });
});

describe('RFC 6238 TOTP vectors', () => {
  const totp = new TotpFactor();
  const cases = RFC6238.flatMap(([time, ...codes]) =>
    (['sha1', 'sha256', 'sha512'] as const).map((algorithm, i) => [time, algorithm, codes[i]] as const),
  );

  it.each(cases)('t=%i %s → %s', (time, algorithm, code) => {
    const profile = { algorithm, digits: 8 as const, period: 30 };
    expect(totp.generate(SEEDS[algorithm], profile, time * 1000)).toBe(code);
    expect(totp.matchStep(SEEDS[algorithm], code, profile, time * 1000)).toBe(Math.floor(time / 30));
  });

  it('errata 2866: a 20-byte key with SHA512 at t=59 gives 69342147', () => {
    expect(totp.generate(SEEDS.sha1, { algorithm: 'sha512', digits: 8, period: 30 }, 59_000)).toBe('69342147');
  });

  it('accepts ±1 step by default and nothing further', () => {
    const profile = { algorithm: 'sha1' as const, digits: 8 as const, period: 30 };
    const at = 1111111109_000;
    const code = totp.generate(SEEDS.sha1, profile, at);
    expect(totp.matchStep(SEEDS.sha1, code, profile, at + 30_000)).toBe(Math.floor(at / 30_000));
    expect(totp.matchStep(SEEDS.sha1, code, profile, at - 30_000)).toBe(Math.floor(at / 30_000));
    expect(totp.matchStep(SEEDS.sha1, code, profile, at + 60_000)).toBeNull();
    expect(new TotpFactor({ tolerance: 0 }).matchStep(SEEDS.sha1, code, profile, at + 30_000)).toBeNull();
  });
});
