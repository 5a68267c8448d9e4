// Invariant: a store that fails under a command (a migration the database refuses) exits 4
// with the driver's message, no stack and no password; and the CLI loads TypeORM only for
// the commands that need a store, so an app with a store of its own can still validate policies.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { EXIT } from '../../libs/cli/src/cli-context';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, sqliteFile } from '../support/cli-process';

jest.setTimeout(240_000);

const dir = mkdtempSync(join(tmpdir(), 'cli-store-failures-'));
const key = () => `k1:${randomBytes(32).toString('base64')}`;
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

interface ErrorJson {
  error: { code: string; message: string };
}

// A password PostgreSQL's trust auth ignores (MariaDB's root has none), but a careless message would print.
const withPassword = (url: string) => url.replace(/^(\w+:\/\/)([^:@/]+)@/, '$1$2:pw-never-shown@');

const backends = ownDatabaseBackends('fx2_cli_store_failures', sqliteFile('cli-store-failures'));

describe.each(backends.map((b) => [b.name, b] as const))('a migration the store refuses (%s)', (_name, backend) => {
  it('exits 4 with MIGRATION_FAILED and the driver message, no stack, no password', async () => {
    await createOwnDatabase(backend);
    const own = await emptyOwnDatabase(backend);
    // A table of the first migration's name, made by someone else: CREATE TABLE fails.
    const ds = await new DataSource(own.options as DataSourceOptions).initialize();
    try {
      await ds.query('CREATE TABLE mfa_enrollments (squatter int)');
    } finally {
      await ds.destroy();
    }
    const url = databaseUrlOf(own);
    const env = { MFA_DATABASE_URL: url.startsWith('postgres') ? withPassword(url) : url, MFA_ENCRYPTION_KEYS: key() };

    const json = await runCli(['--json', 'migrate'], env);
    expect(json.code).toBe(EXIT.store);
    expect(jsonOf<ErrorJson>(json).error).toMatchObject({
      code: 'MIGRATION_FAILED',
      message: expect.stringMatching(/mfa_enrollments/),
    });
    noStack(json.stderr);

    const text = await runCli(['migrate'], env);
    expect(text.code).toBe(EXIT.store);
    expect(text.stderr).toMatch(/A migration failed/);
    noStack(text.stderr);
    for (const run of [json, text]) expect(run.stdout + run.stderr).not.toContain('pw-never-shown');
  });
});

describe('the CLI without TypeORM installed', () => {
  const hidden = {
    MFA_TEST_HIDE_MODULES: 'typeorm',
    NODE_OPTIONS: `--require ${join(__dirname, '../support/hide-modules.hook.js')}`,
  };

  it('still validates a policy document', async () => {
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ services: { billing: { operations: { refund: { require: 'totp' } } } } }));
    const run = await runCli(['--json', 'policy', 'validate', policy], hidden, dir);
    expect(run.code).toBe(EXIT.ok);
    expect(jsonOf(run)).toMatchObject({ valid: true, errors: [] });
  });

  it('refuses a store command with 3, naming typeorm', async () => {
    const env = { ...hidden, MFA_DATABASE_URL: `sqlite:${join(dir, 'mfa.sqlite')}`, MFA_ENCRYPTION_KEYS: key() };
    for (const args of [
      ['--json', 'keys', 'status'],
      ['--json', 'migrate'],
    ]) {
      const run = await runCli(args, env, dir);
      expect(run.code).toBe(EXIT.config);
      expect(jsonOf<ErrorJson>(run).error).toMatchObject({
        code: 'DRIVER_NOT_INSTALLED',
        message: expect.stringContaining('npm install typeorm'),
      });
    }
  });
});
