// Invariant: `import file` takes a generic CSV or JSON file of TOTP factors; every row is checked
// (base32 secret of at least 128 bits, SHA1/SHA256/SHA512, 6 or 8 digits, a 15-120 s period, a
// storable user id, verifiable backup-code hashes) and a bad or repeated row is reported with its
// line or index and never written, while the good rows keep their parameters and verify codes
// computed independently (node:crypto HMAC) at the next challenge. --dry-run writes nothing.
import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase32 } from '../../libs/core/src/factors/base32';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';
import { createOwnDatabase, OwnDatabaseBackend, ownDatabaseBackends } from '../support/own-database';
import { hotp, newKeys, SignIn } from './import-verify.helper';

jest.setTimeout(240_000);

const backends = ownDatabaseBackends('mfa_cli_import_file', sqliteFile('cli-import-file'));

interface Problem {
  line?: number;
  index?: number;
  userId?: string;
  field: string;
  code: string;
}
interface Report {
  imported: number;
  alreadyImported: number;
  duplicates: Problem[];
  invalid: Problem[];
}

const seeds = { sha1: randomBytes(20), sha256: randomBytes(32), sha512: randomBytes(64) };
const PLAIN_CODES = ['7k3m-9x2p-4r8t-6w5z', 'h2j4-k6m8-n9p3-q5r7'];
const HASHED_CODE = 'x9w8-v7t6-s5r4-q3p2';
/** A CodeHasher-format hash made here with node:crypto, of the code as the verifier normalises it. */
function scryptHash(code: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(code.toUpperCase().replace(/-/g, ''), salt, 32, { N: 16384, r: 8, p: 1 });
  return `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** The same rows for both formats; `p` prefixes the user ids, so one database holds both runs. */
function rows(p: string) {
  return [
    {
      userId: `${p}sha1`,
      secret: toBase32(seeds.sha1),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      label: 'Phone',
      backupCodes: PLAIN_CODES.join(' '),
    },
    {
      userId: `${p}sha256`,
      secret: toBase32(seeds.sha256),
      algorithm: 'SHA256',
      digits: 8,
      period: 30,
      label: '',
      backupCodeHashes: scryptHash(HASHED_CODE),
    },
    {
      userId: `${p}sha512`,
      secret: toBase32(seeds.sha512).toLowerCase(),
      algorithm: 'sha-512',
      digits: 6,
      period: 60,
      label: 'Laptop',
    },
    { userId: `${p}short`, secret: toBase32(randomBytes(10)), algorithm: 'SHA1', digits: 6, period: 30, label: '' },
    { userId: `${p}md5`, secret: toBase32(randomBytes(20)), algorithm: 'MD5', digits: 7, period: 10, label: '' },
    { userId: 'u'.repeat(192), secret: '0189!', algorithm: 'SHA1', digits: 6, period: 30, label: '' },
    {
      userId: `${p}bcrypt`,
      secret: toBase32(randomBytes(20)),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      label: '',
      backupCodeHashes: '$2b$10$abcdefghijklmnopqrstuuJ3V4wO1Qm2dF0uN8mQ9u1b5oW8rK7y',
    },
    { userId: `${p}twice`, secret: toBase32(randomBytes(20)), algorithm: 'SHA1', digits: 6, period: 30, label: '' },
    { userId: `${p}twice`, secret: toBase32(randomBytes(20)), algorithm: 'SHA1', digits: 6, period: 30, label: '' },
  ];
}
type Row = ReturnType<typeof rows>[number];
const COLUMNS = [
  'userId',
  'secret',
  'algorithm',
  'digits',
  'period',
  'label',
  'backupCodes',
  'backupCodeHashes',
] as const;
const csv = (list: Row[]) =>
  [
    COLUMNS.join(','),
    ...list.map((r) => COLUMNS.map((c) => `"${String((r as Record<string, unknown>)[c] ?? '')}"`).join(',')),
  ].join('\n');

describe.each(backends.map((b) => [b.name, b] as const))('import file into %s', (_name, given) => {
  const keys = newKeys();
  const dir = mkdtempSync(join(tmpdir(), 'import-file-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  let backend: OwnDatabaseBackend;
  let env: Record<string, string>;

  beforeAll(async () => {
    await createOwnDatabase(given);
    backend = await emptyOwnDatabase(given);
    env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys, MFA_OPERATOR: 'ops' };
  });

  const expectRefusals = (report: Report, p: string, where: (i: number) => Partial<Problem>) => {
    expect(report.invalid).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...where(3), userId: `${p}short`, field: 'secret', code: 'SECRET_TOO_SHORT' }),
        expect.objectContaining({ ...where(4), field: 'algorithm', code: 'ALGORITHM_UNSUPPORTED' }),
        expect.objectContaining({ ...where(4), field: 'digits', code: 'DIGITS_UNSUPPORTED' }),
        expect.objectContaining({ ...where(4), field: 'period', code: 'PERIOD_UNSUPPORTED' }),
        expect.objectContaining({ ...where(5), field: 'userId', code: 'USER_ID_INVALID' }),
        expect.objectContaining({ ...where(5), field: 'secret', code: 'SECRET_INVALID' }),
        expect.objectContaining({ ...where(6), field: 'backupCodeHashes', code: 'BACKUP_CODE_HASH_UNSUPPORTED' }),
      ]),
    );
    expect(report.duplicates).toEqual([
      expect.objectContaining({ ...where(7), userId: `${p}twice`, code: 'DUPLICATE_IN_FILE' }),
      expect.objectContaining({ ...where(8), userId: `${p}twice`, code: 'DUPLICATE_IN_FILE' }),
    ]);
  };

  async function expectWorking(p: string): Promise<void> {
    const signIn = new SignIn(await TypeOrmMfaStore.connect(backend.options), keys);
    try {
      const cases = [
        [`${p}sha1`, seeds.sha1, 'sha1', 6, 30, 'Phone'],
        [`${p}sha256`, seeds.sha256, 'sha256', 8, 30, 'Authenticator app'],
        [`${p}sha512`, seeds.sha512, 'sha512', 6, 60, 'Laptop'],
      ] as const;
      for (const [userId, seed, algorithm, digits, period, label] of cases) {
        const [factor] = await signIn.store.listEnrollments(userId);
        expect(factor).toMatchObject({ status: 'active', label, profile: { algorithm, digits, period } });
        const step = factor.lastStep!;
        signIn.clock.set(step * period * 1000 + 1000);
        expect(await signIn.answer(userId, 'totp', hotp(seed, step, algorithm, digits))).toBe(false);
        signIn.clock.set((step + 1) * period * 1000 + 1000);
        expect(await signIn.answer(userId, 'totp', hotp(seed, step + 1, algorithm, digits))).toBe(true);
      }
      expect(await signIn.answer(`${p}sha1`, 'backup_code', PLAIN_CODES[1].toUpperCase())).toBe(true);
      expect(await signIn.answer(`${p}sha256`, 'backup_code', HASHED_CODE)).toBe(true);
      expect(await signIn.answer(`${p}sha256`, 'backup_code', HASHED_CODE)).toBe(false);
      for (const refused of ['short', 'md5', 'bcrypt', 'twice'])
        expect(await signIn.store.listEnrollments(`${p}${refused}`)).toEqual([]);
    } finally {
      await signIn.close();
    }
  }

  it('CSV: dry-run writes nothing; the run imports the good rows and reports the rest by line', async () => {
    const file = write('factors.csv', csv(rows('csv-')));
    const dry = await runCli(['--json', 'import', 'file', file, '--dry-run'], env);
    expect(dry.code).toBe(1);
    expect(jsonOf<{ error: { details: Report } }>(dry).error.details.imported).toBe(3);
    const probe = await TypeOrmMfaStore.connect(backend.options);
    try {
      expect(await probe.dataSource.query('SELECT id FROM mfa_enrollments')).toEqual([]);
    } finally {
      await probe.close();
    }

    const run = await runCli(['--json', 'import', 'file', file], env);
    expect(run.code).toBe(1);
    const report = jsonOf<{ error: { code: string; details: Report } }>(run).error;
    expect(report.code).toBe('IMPORT_ROWS_REFUSED');
    expect(report.details).toMatchObject({ imported: 3, alreadyImported: 0 });
    expectRefusals(report.details, 'csv-', (i) => ({ line: i + 2 }));
    await expectWorking('csv-');
  });

  it('JSON: the same rows by index; a re-run resumes, a different secret for an imported user is a duplicate', async () => {
    const list = rows('json-');
    const file = write('factors.json', JSON.stringify(list));
    const run = await runCli(['--json', 'import', 'file', file], env);
    expect(run.code).toBe(1);
    const report = jsonOf<{ error: { details: Report } }>(run).error.details;
    expect(report).toMatchObject({ imported: 3, alreadyImported: 0 });
    expectRefusals(report, 'json-', (i) => ({ index: i }));
    await expectWorking('json-');

    const good = list.slice(0, 3);
    const again = await runCli(['--json', 'import', 'file', write('again.json', JSON.stringify(good))], env);
    expect(again.code).toBe(0);
    expect(jsonOf<Report>(again)).toEqual(
      expect.objectContaining({ imported: 0, alreadyImported: 3, duplicates: [], invalid: [] }),
    );

    const other = [
      { ...good[2], secret: toBase32(randomBytes(20)) },
      { userId: 'json-new', secret: toBase32(randomBytes(20)) },
    ];
    const conflict = await runCli(['import', 'file', write('conflict.json', JSON.stringify(other))], env);
    expect(conflict.code).toBe(1);
    expect(conflict.stdout).toMatch(/Imported 1 of 2 row\(s\).*1 duplicate/);
    expect(conflict.stdout).toMatch(/duplicate +index 0 \(json-sha512\) userId: .* \[HAS_TOTP\]/);
  });

  it('a file that is not a list of factors, or has an unknown column, imports nothing', async () => {
    const notList = await runCli(['--json', 'import', 'file', write('object.json', '{"userId":"x"}')], env);
    expect(notList.code).toBe(1);
    expect(jsonOf<{ error: { code: string } }>(notList).error.code).toBe('IMPORT_FILE_INVALID');
    const typo = await runCli(['--json', 'import', 'file', write('typo.csv', 'userId,secert\nx,ABC\n')], env);
    expect(typo.code).toBe(1);
    expect(jsonOf<{ error: { message: string } }>(typo).error.message).toMatch(/Unknown CSV column\(s\) secert/);
    const noActor = await runCli(['import', 'file', write('ok.json', '[]')], { ...env, MFA_OPERATOR: '' });
    expect(noActor.code).toBe(2);
  });
});
