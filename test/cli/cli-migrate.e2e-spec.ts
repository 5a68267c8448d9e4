// Invariant: `migrate` runs the store's own migrations (its `mfa_migrations` table, the boot
// migration lock), and `migrate --dry-run` prints the real SQL of the pending ones while
// changing nothing at all: no table, column, index or migration row, on every dialect.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { mfaEntities, mfaMigrations } from '../../libs/typeorm/src';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { databaseUrlOf, emptyOwnDatabase, jsonOf, runCli, schemaSnapshot, sqliteFile } from '../support/cli-process';

jest.setTimeout(180_000);

const backends = ownDatabaseBackends('mfa_cli_migrate', sqliteFile('cli-migrate'));
const keys = `k1:${randomBytes(32).toString('base64')}`;
const names = mfaMigrations.map((m) => new m().name);

interface MigrateJson {
  ran?: string[];
  applied: string[];
  pending: string[];
  sql?: string[];
}

/** All but the last `left` migrations, applied as the store would apply them. */
async function migrateAllBut(options: DataSourceOptions, left: number): Promise<void> {
  const ds = await new DataSource({
    ...options,
    entities: mfaEntities,
    migrations: mfaMigrations.slice(0, -left),
    migrationsTableName: 'mfa_migrations',
  } as DataSourceOptions).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

describe.each(backends.map((b) => [b.name, b] as const))('nestjs-mfa migrate on %s', (_name, given) => {
  beforeAll(() => createOwnDatabase(given));

  it('dry-runs an empty database without creating anything, then migrates it', async () => {
    const backend = await emptyOwnDatabase(given);
    const env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys };
    const before = backend.options.type === 'better-sqlite3' ? null : await schemaSnapshot(backend.options);

    const status = await runCli(['migrate', 'status', '--json'], env);
    expect(status.code).toBe(1);
    expect(jsonOf<{ error: { code: string; details: MigrateJson } }>(status).error).toMatchObject({
      code: 'MIGRATIONS_PENDING',
      details: { applied: [], pending: names },
    });

    const dry = await runCli(['migrate', '--dry-run', '--json'], env);
    expect(dry.code).toBe(0);
    const plan = jsonOf<MigrateJson>(dry);
    expect(plan.pending).toEqual(names);
    expect(plan.sql).toContain(`-- ${names[0]}`);
    expect(plan.sql!.some((s) => /^CREATE TABLE [`"]?mfa_enrollments/.test(s))).toBe(true);
    if (backend.options.type === 'better-sqlite3') expect(existsSync(String(backend.options.database))).toBe(false);
    else expect(await schemaSnapshot(backend.options)).toEqual(before);

    const run = await runCli(['migrate', '--json'], env);
    expect(run.code).toBe(0);
    expect(jsonOf<MigrateJson>(run)).toMatchObject({ ran: names, applied: names, pending: [] });
    const again = await runCli(['migrate', '--dry-run'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to migrate');
    const done = await runCli(['migrate', 'status'], env);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`All ${names.length} migrations are applied.`);
  });

  it("keeps stdout one JSON document when an app's config logs everything and the store migrates on first use", async () => {
    const backend = await emptyOwnDatabase(given);
    // A development config often turns TypeORM's logging on: it would print every query on stdout.
    const config = join(mkdtempSync(join(tmpdir(), 'cli-migrate-')), 'mfa.config.js');
    const database = { ...backend.options, logging: 'all' };
    const encryption = { keys: [{ id: 'k1', key: keys.slice(3) }] };
    writeFileSync(config, `module.exports = ${JSON.stringify({ database, encryption })};`);

    const list = await runCli(['--config', config, '--json', 'policy', 'list']);
    expect(list.code).toBe(0);
    expect(jsonOf<{ versions: unknown[] }>(list)).toEqual({ versions: [] });
    expect(list.stderr).not.toMatch(/CREATE TABLE/i); // nor are the queries sent to stderr instead
  });

  it('dry-runs the migrations a store at an older version lacks, then applies only those', async () => {
    const backend = await emptyOwnDatabase(given);
    await migrateAllBut(backend.options, 2);
    const env = { MFA_DATABASE_URL: databaseUrlOf(backend), MFA_ENCRYPTION_KEYS: keys };
    const before = await schemaSnapshot(backend.options);

    const dry = await runCli(['--json', 'migrate', '--dry-run'], env);
    expect(dry.code).toBe(0);
    const plan = jsonOf<MigrateJson>(dry);
    expect(plan.pending).toEqual(names.slice(-2));
    expect(plan.sql!.filter((s) => !s.startsWith('--')).length).toBeGreaterThan(0);
    expect(await schemaSnapshot(backend.options)).toEqual(before);
    if (backend.options.type === 'mariadb') {
      // The scratch database the dry run needed is gone.
      const ds = await new DataSource(backend.options).initialize();
      expect(await ds.query("SHOW DATABASES LIKE 'mfa_dry_run_%'")).toEqual([]);
      await ds.destroy();
    }

    const run = await runCli(['migrate', '--json'], env);
    expect(run.code).toBe(0);
    expect(jsonOf<MigrateJson>(run)).toMatchObject({ ran: names.slice(-2), pending: [] });
  });
});
