// Invariant: `import better-auth` brings Better Auth's real twoFactor rows — made by the Better
// Auth package itself (sign-up, enable, verify) — into the store: each TOTP secret decrypts with
// BETTER_AUTH_SECRET and works at the next challenge, the code showing at import time is refused
// as a replay, a Better Auth backup code works exactly once, and a re-run imports nothing twice.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromBase32 } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';
import { createOwnDatabase, OwnDatabaseBackend, ownDatabaseBackends } from '../support/own-database';
import { hotp, newKeys, SignIn } from './import-verify.helper';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
const backends = ownDatabaseBackends('mfa_cli_import_better_auth', sqliteFile('cli-import-ba'));

interface BetterAuthUser {
  userId: string;
  email: string;
  totpURI: string;
  backupCodes: string[];
}

interface Report {
  imported: number;
  alreadyImported: number;
  duplicates: unknown[];
  invalid: Array<{ userId: string; code: string }>;
  warnings: Array<{ userId: string; code: string }>;
}

/** Better Auth, in its own ESM process over its own SQLite file: the users it made, as it shows them. */
async function betterAuthUsers(
  file: string,
  secret: string,
  users: Array<{ email: string; verify: boolean }>,
  totp: { digits: number; period: number },
): Promise<BetterAuthUser[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(__dirname, 'better-auth-enable.child.mjs'), file],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        BA_SECRET: secret,
        BA_USERS: JSON.stringify(users),
        BA_DIGITS: String(totp.digits),
        BA_PERIOD: String(totp.period),
      },
    },
  );
  return (JSON.parse(stdout) as { users: BetterAuthUser[] }).users;
}

/** What an authenticator app holds: the key from Better Auth's own otpauth URI. */
const keyOf = (user: BetterAuthUser) => fromBase32(new URL(user.totpURI).searchParams.get('secret')!);
/** Better Auth's codes are a-zA-Z0-9, so about 3 in 10 hold a U, a letter our own codes never use. */
const withU = (codes: string[]) => codes.filter((c) => /u/i.test(c));

const BETTER_AUTH_MISSING = 'this suite drives the real Better Auth: run `npm ci` in bench/better-auth';
const betterAuthInstalled = existsSync(join(ROOT, 'bench', 'better-auth', 'node_modules', 'better-auth'));
// A developer without it gets the other suites and a printed reason; CI installs it (.ci/run) and never skips.
if (!betterAuthInstalled && !process.env.CI)
  process.stderr.write(`skipped: import better-auth: ${BETTER_AUTH_MISSING}\n`);
if (!betterAuthInstalled && process.env.CI) throw new Error(`cannot run import better-auth: ${BETTER_AUTH_MISSING}`);
const describeIfInstalled = betterAuthInstalled ? describe.each : describe.skip.each;

describeIfInstalled(backends.map((b) => [b.name, b] as const))('import better-auth into %s', (_name, given) => {
  const secret = randomBytes(32).toString('hex');
  const keys = newKeys();
  const dir = mkdtempSync(join(tmpdir(), 'import-ba-'));
  let env: Record<string, string>;
  let backendOptions: Parameters<typeof TypeOrmMfaStore.connect>[0];

  beforeAll(async () => {
    await createOwnDatabase(given);
    const backend = await emptyOwnDatabase(given);
    backendOptions = backend.options;
    env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys, MFA_OPERATOR: 'ops@example.com' };
  });

  it('imports verified users, refuses the unverified one, and each factor works at the next challenge', async () => {
    const source = join(dir, 'ba-6-30.sqlite');
    const users = await betterAuthUsers(
      source,
      secret,
      [
        { email: 'ada@example.com', verify: true },
        { email: 'grace@example.com', verify: true },
        { email: 'pending@example.com', verify: false },
      ],
      { digits: 6, period: 30 },
    );
    const [ada, grace, pending] = users;

    const dry = await runCli(['--json', 'import', 'better-auth', '--database', source, '--dry-run'], {
      ...env,
      BETTER_AUTH_SECRET: secret,
    });
    expect(dry.code).toBe(1);
    expect(jsonOf<{ error: { details: Report } }>(dry).error.details).toMatchObject({ imported: 2, invalid: [{}] });

    const run = await runCli(['--json', 'import', 'better-auth', '--database', source], {
      ...env,
      BETTER_AUTH_SECRET: secret,
    });
    expect(run.code).toBe(1); // the unverified row is refused; the rest are in
    const report = jsonOf<{ error: { code: string; details: Report } }>(run).error;
    expect(report.code).toBe('IMPORT_ROWS_REFUSED');
    expect(report.details).toMatchObject({ imported: 2, alreadyImported: 0, duplicates: [] });
    expect(report.details.invalid).toEqual([expect.objectContaining({ userId: pending.userId, code: 'NOT_ENABLED' })]);
    expect(report.details.warnings).toEqual([]); // every Better Auth code is kept, U or not

    const signIn = new SignIn(await TypeOrmMfaStore.connect(backendOptions), keys);
    try {
      for (const user of [ada, grace]) {
        const { lastStep, period } = await signIn.lastStep(user.userId);
        expect(period).toBe(30);
        // The code showing at import time counts as used: refused, then the next step's code works.
        signIn.clock.set(lastStep * period * 1000 + 1000);
        expect(await signIn.answer(user.userId, 'totp', hotp(keyOf(user), lastStep, 'sha1', 6))).toBe(false);
        // Logged, but as what it is: nobody replayed a code this store ever accepted.
        expect(signIn.audit.ofType('totp.replay').filter((e) => e.userId === user.userId)).toEqual([
          expect.objectContaining({ severity: 'info', reason: 'step_used_at_import' }),
        ]);
        signIn.clock.set((lastStep + 1) * period * 1000 + 1000);
        expect(await signIn.answer(user.userId, 'totp', hotp(keyOf(user), lastStep + 1, 'sha1', 6))).toBe(true);
      }
      expect(await signIn.store.listEnrollments(pending.userId)).toEqual([]);

      // Better Auth backup codes, typed as Better Auth printed them, work once each.
      const typed = [grace.backupCodes.find((c) => !/u/i.test(c))!, ...withU(grace.backupCodes)];
      for (const code of typed) expect(await signIn.answer(grace.userId, 'backup_code', code)).toBe(true);
      expect(await signIn.answer(grace.userId, 'backup_code', typed[0])).toBe(false);
      expect(await signIn.store.listUnusedBackupCodes(grace.userId)).toHaveLength(
        grace.backupCodes.length - typed.length,
      );

      const audit = await signIn.store.dataSource.query(
        "SELECT user_id, actor FROM mfa_audit_events WHERE type = 'factor.imported' ORDER BY user_id",
      );
      expect(audit).toEqual(
        [ada, grace]
          .map((u) => ({ user_id: u.userId, actor: 'ops@example.com' }))
          .sort((a, b) => (a.user_id < b.user_id ? -1 : 1)),
      );
    } finally {
      await signIn.close();
    }

    // The same command again: nothing written twice, the two users counted as already imported.
    const again = await runCli(['--json', 'import', 'better-auth', '--database', source], {
      ...env,
      BETTER_AUTH_SECRET: secret,
    });
    expect(jsonOf<{ error: { details: Report } }>(again).error.details).toMatchObject({
      imported: 0,
      alreadyImported: 2,
      duplicates: [],
    });
  });

  it('keeps Better Auth totpOptions (8 digits, 60 s) and refuses a wrong secret without writing', async () => {
    const source = join(dir, 'ba-8-60.sqlite');
    const [lin] = await betterAuthUsers(source, secret, [{ email: 'lin@example.com', verify: true }], {
      digits: 8,
      period: 60,
    });

    const wrong = await runCli(['import', 'better-auth', '--database', source, '--digits', '8', '--period', '60'], {
      ...env,
      BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/SOURCE_UNREADABLE/);

    const run = await runCli(
      ['--json', 'import', 'better-auth', '--database', source, '--digits', '8', '--period', '60'],
      {
        ...env,
        BETTER_AUTH_SECRET: secret,
      },
    );
    expect(run.code).toBe(0);
    expect(jsonOf<Report>(run)).toMatchObject({ imported: 1, duplicates: [], invalid: [] });

    const signIn = new SignIn(await TypeOrmMfaStore.connect(backendOptions), keys);
    try {
      const { lastStep, period } = await signIn.lastStep(lin.userId);
      expect(period).toBe(60);
      signIn.clock.set((lastStep + 1) * period * 1000 + 5000);
      expect(await signIn.answer(lin.userId, 'totp', hotp(keyOf(lin), lastStep + 1, 'sha1', 8))).toBe(true);
    } finally {
      await signIn.close();
    }
  });

  // Better Auth's own PostgreSQL database as the source, on the PostgreSQL leg.
  const onPostgres = given.options.type === 'postgres' ? it : it.skip;
  onPostgres("reads Better Auth's twoFactor table from PostgreSQL", async () => {
    const url = Object.assign(new URL(given.server!), { pathname: '/mfa_cli_import_ba_source' }).toString();
    const source: OwnDatabaseBackend = {
      name: 'postgres',
      server: given.server,
      database: 'mfa_cli_import_ba_source',
      options: { type: 'postgres', url },
    };
    await createOwnDatabase(source);
    await emptyOwnDatabase(source);
    const [pat] = await betterAuthUsers(url, secret, [{ email: 'pat@example.com', verify: true }], {
      digits: 6,
      period: 30,
    });

    const run = await runCli(['--json', 'import', 'better-auth', '--database', url], {
      ...env,
      BETTER_AUTH_SECRET: secret,
    });
    expect(run.code).toBe(0);
    expect(jsonOf<Report>(run)).toMatchObject({ imported: 1, duplicates: [], invalid: [] });
    const signIn = new SignIn(await TypeOrmMfaStore.connect(backendOptions), keys);
    try {
      const { lastStep, period } = await signIn.lastStep(pat.userId);
      signIn.clock.set((lastStep + 1) * period * 1000 + 1000);
      expect(await signIn.answer(pat.userId, 'totp', hotp(keyOf(pat), lastStep + 1, 'sha1', 6))).toBe(true);
    } finally {
      await signIn.close();
    }
  });
});
