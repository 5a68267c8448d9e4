import { randomBytes, scryptSync } from 'node:crypto';
import { BackupCodeFactor } from '../factors/backup-code.factor';
import { toBase32 } from '../factors/base32';
import { checkCodeHash } from './backup-code-hash';
import { parseImportFile } from './import-file';
import type { ImportCandidate, ImportProblem, RawImportRow } from './import-record';
import { validateImportRow, ValidationRules } from './import-validation';

const factor = new BackupCodeFactor();
const rules: ValidationRules = { normalizeCode: (c) => factor.normalize(c), unusableCodes: 'refuse' };
const row = (fields: Record<string, unknown>, line = 2): RawImportRow => ({ position: { line }, fields });
const secret = toBase32(randomBytes(20));
const problems = (fields: Record<string, unknown>, r = rules) => validateImportRow(row(fields), r) as ImportProblem[];
const scrypt = (N: number, r = 8, p = 1, saltBytes = 16) => {
  const salt = randomBytes(saltBytes);
  const key = scryptSync('K7M9X2P4R8T6W5Z3', salt, 32, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
};

describe('validateImportRow', () => {
  it('keeps a good row with its parameters; blanks take the RFC 6238 defaults', () => {
    const ok = validateImportRow(
      row({ userId: 'u1', secret, algorithm: 'sha-256', digits: '8', period: '60', label: ' Work ' }),
      rules,
    );
    expect(ok).toMatchObject({ userId: 'u1', profile: { algorithm: 'sha256', digits: 8, period: 60 }, label: 'Work' });
    const defaults = validateImportRow(row({ userId: 'u1', secret, algorithm: '', digits: '', period: '' }), rules);
    expect(defaults).toMatchObject({
      profile: { algorithm: 'sha1', digits: 6, period: 30 },
      label: null,
      backupCodes: null,
    });
  });

  it('refuses each bad field with its own code, all at once, with the row position', () => {
    const found = problems({
      userId: 'u1',
      secret: toBase32(randomBytes(15)),
      algorithm: 'MD5',
      digits: 7,
      period: 121,
    });
    expect(found.map((p) => [p.field, p.code])).toEqual([
      ['secret', 'SECRET_TOO_SHORT'],
      ['algorithm', 'ALGORITHM_UNSUPPORTED'],
      ['digits', 'DIGITS_UNSUPPORTED'],
      ['period', 'PERIOD_UNSUPPORTED'],
    ]);
    expect(found[0]).toMatchObject({ line: 2, userId: 'u1' });
    expect(problems({ userId: 'u1', secret: 'NOT-BASE32!' })[0].code).toBe('SECRET_INVALID');
    expect(problems({ userId: 'u1', secret, period: 14 })[0].code).toBe('PERIOD_UNSUPPORTED');
    expect(problems({ userId: 'u1', secret, period: 30.5 })[0].code).toBe('PERIOD_UNSUPPORTED');
    expect(problems({ userId: 'u1', secret, label: '\u202Eevil' })[0].code).toBe('LABEL_INVALID');
    expect(problems({ userId: 'u1', secret, colour: 'red' })[0]).toMatchObject({
      field: 'colour',
      code: 'FIELD_UNKNOWN',
    });
  });

  it('takes exactly 128 bits and refuses 120 (RFC 4226: at least 128)', () => {
    expect(Array.isArray(validateImportRow(row({ userId: 'u', secret: toBase32(randomBytes(16)) }), rules))).toBe(
      false,
    );
    expect(problems({ userId: 'u', secret: toBase32(randomBytes(15)) })[0].code).toBe('SECRET_TOO_SHORT');
  });

  it('holds user ids to what the store keeps: 1-191 characters, no NUL, no stray spaces', () => {
    expect(Array.isArray(validateImportRow(row({ userId: 'ü'.repeat(191), secret }), rules))).toBe(false);
    for (const userId of ['u'.repeat(192), 'a\u0000b', ' padded', '', 42])
      expect(problems({ userId, secret }).map((p) => p.field)).toContain('userId');
  });

  it('normalises plain backup codes as the verifier does, once each; a code it never accepts refuses the row or is dropped', () => {
    const ok = validateImportRow(
      row({ userId: 'u', secret, backupCodes: 'k7m9-x2p4-r8t6-w5z3 K7M9X2P4R8T6W5Z3 h2j4-k6m8-n9p3' }),
      rules,
    );
    expect((ok as ImportCandidate).backupCodes).toEqual({ kind: 'plain', codes: ['K7M9X2P4R8T6W5Z3', 'H2J4K6M8N9P3'] });
    expect(problems({ userId: 'u', secret, backupCodes: ['abcde-vw!xy'] })[0].code).toBe('BACKUP_CODE_INVALID');
    const dropped = validateImportRow(row({ userId: 'u', secret, backupCodes: ['abcde-vw!xy', 'abcde-fghjk'] }), {
      ...rules,
      unusableCodes: 'drop',
    }) as ImportCandidate;
    expect(dropped.backupCodes).toEqual({ kind: 'plain', codes: ['ABCDEFGHJK'] });
    expect(dropped.warnings).toEqual([expect.objectContaining({ code: 'BACKUP_CODE_DROPPED', userId: 'u' })]);
    expect(
      problems({ userId: 'u', secret, backupCodes: 'k7m9-x2p4-r8t6', backupCodeHashes: scrypt(16384) })[0].code,
    ).toBe('BACKUP_CODE_INVALID');
  });

  it('keeps only scrypt hashes this project verifies, and says why it refuses the others', () => {
    expect(checkCodeHash(scrypt(16384))).toBeNull();
    expect(checkCodeHash(scrypt(32768, 8, 2))).toBeNull();
    expect(checkCodeHash('$2b$10$abcdefghijklmnopqrstuuJ3V4wO1Qm2dF0uN8mQ9u1b5oW8rK7y')).toMatch(/bcrypt/);
    expect(checkCodeHash('$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$abc')).toMatch(/Argon2/);
    expect(checkCodeHash('a'.repeat(64))).toMatch(/unsalted/);
    expect(checkCodeHash(scrypt(1024))).toMatch(/N must be/);
    expect(checkCodeHash(scrypt(16384, 4))).toMatch(/r must be/);
    expect(checkCodeHash(scrypt(16384, 8, 1, 2))).toMatch(/salt/);
    expect(checkCodeHash(scrypt(16384).replace(/\$[^$]+$/, '$AAAA'))).toMatch(/key/);
    expect(problems({ userId: 'u', secret, backupCodeHashes: `${scrypt(16384)} $2y$10$x` })).toEqual([
      expect.objectContaining({
        field: 'backupCodeHashes',
        code: 'BACKUP_CODE_HASH_UNSUPPORTED',
        reason: expect.stringMatching(/^hash 2:/),
      }),
    ]);
  });
});

describe('parseImportFile', () => {
  it('reads CSV with quoted fields and blank lines, each record with its line', () => {
    const rows = parseImportFile(`userId,secret,label\n"a",${secret},"Work, laptop"\n\nb,${secret},\n`, 'csv');
    expect(rows).toEqual([
      { position: { line: 2 }, fields: { userId: 'a', secret, label: 'Work, laptop' } },
      { position: { line: 4 }, fields: { userId: 'b', secret, label: '' } },
    ]);
  });

  it('refuses a CSV with an unknown column and JSON that is not an array', () => {
    expect(() => parseImportFile('userId,secert\nx,y\n', 'csv')).toThrow(/Unknown CSV column\(s\) secert/);
    expect(() => parseImportFile('{"userId":"x"}', 'json')).toThrow(/array of objects/);
    expect(() => parseImportFile('[{"userId":', 'json')).toThrow(/not valid JSON/);
    expect(parseImportFile('["x"]', 'json')).toEqual([{ position: { index: 0 }, fields: { $: 'x' } }]);
  });
});
