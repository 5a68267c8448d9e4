// Invariant: a backup code carries at least 64 bits from the CSPRNG (NIST 800-63B look-up
// secret), is typed in any case with or without separators, and codes issued in the older
// 10-character format keep verifying until the user regenerates them.
import { CodeHasher } from '../crypto/code-hasher';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { BackupCodeFactor, MIN_BACKUP_CODE_LENGTH } from './backup-code.factor';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const bitsOf = (code: string) => code.replace(/-/g, '').length * Math.log2(CROCKFORD.length);

describe('backup-code entropy', () => {
  const factor = new BackupCodeFactor();

  it('issues 16 Crockford base32 characters in groups of four: 80 bits', () => {
    for (const code of factor.generateSet()) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
      expect(bitsOf(code)).toBe(80);
    }
  });

  it('draws every character of the alphabet and nothing else', () => {
    const seen = new Set(
      Array.from({ length: 40 }, () => factor.generateSet())
        .flat()
        .join('')
        .replace(/-/g, ''),
    );
    expect([...seen].sort().join('')).toBe(CROCKFORD);
  });

  it('never gives less than 64 bits: a length under 13 stops the boot with the fix', () => {
    expect(bitsOf('x'.repeat(MIN_BACKUP_CODE_LENGTH))).toBeGreaterThanOrEqual(64);
    expect(bitsOf('x'.repeat(MIN_BACKUP_CODE_LENGTH - 1))).toBeLessThan(64);
    for (const length of [10, 12, 12.5, 0, -16, Number.NaN, 33]) {
      expect(() => new BackupCodeFactor({ length })).toThrow(MfaConfigurationError);
    }
    expect(() => new BackupCodeFactor({ length: 12 })).toThrow(/backupCodes\.length .*at least 64.*Remove the option/);
    const shortest = new BackupCodeFactor({ length: 13 }).generateSet()[0];
    expect(shortest).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]$/);
    expect(bitsOf(shortest)).toBe(65);
  });

  it('accepts any case, with or without dashes and spaces, and the look-alike letters', () => {
    const [code] = factor.generateSet();
    const compact = code.replace(/-/g, '').toUpperCase();
    for (const typed of [
      code,
      code.toUpperCase(),
      compact,
      compact.toLowerCase(),
      code.replace(/-/g, ' '),
      ` ${code.replace(/-/g, ' - ')} `,
    ]) {
      expect(factor.normalize(typed)).toBe(compact);
    }
    expect(factor.normalize('abcd-efgh-jkmn-p1o0')).toBe('ABCDEFGHJKMNP100');
    expect(factor.normalize('abcd-efgh-jkmn-pilo')).toBe('ABCDEFGHJKMNP110');
    // Never issued, but imported codes (Better Auth's a-z0-9) may hold a U.
    expect(factor.normalize('abcd-efgh-jkmn-pqru')).toBe('ABCDEFGHJKMNPQRU');
    expect(factor.normalize('abcd-efgh-jkmn-pq!r')).toBeNull();
    expect(factor.normalize('abcd-efgh-j')).toBeNull(); // 9 characters: never issued
  });

  it('still verifies a code of the old 10-character format against its stored hash', async () => {
    const hasher = new CodeHasher({ N: 1024, r: 8, p: 1 });
    // What the previous release stored for `ab1cd-ef2gh`: the hash of its compact upper-case form.
    const stored = await hasher.hash('AB1CDEF2GH');
    for (const typed of ['ab1cd-ef2gh', 'AB1CD EF2GH', 'abicdef2gh', 'ablcd-ef2gh']) {
      await expect(hasher.verify(factor.normalize(typed)!, stored)).resolves.toBe(true);
    }
    await expect(hasher.verify(factor.normalize('ab1cd-ef2gj')!, stored)).resolves.toBe(false);
  });
});
