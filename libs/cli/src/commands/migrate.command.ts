import { existsSync, rmSync } from 'node:fs';
import type { DataSource, DataSourceOptions, Logger, MigrationInterface } from 'typeorm';
import type { MfaSetupOptions } from '../../../setup/src';
import { storeConnectionError } from '../../../setup/src/store-connection.errors';
import { CliContext, CliRefusal, EXIT, RegisterCommand } from '../cli-context';
import { loadTypeOrm, migrationLogger, openFailure, storeFailure } from '../cli-runtime';
import type * as DryRun from '../migrate-dry-run';
import type * as MigrationLock from '../../../typeorm/src/migration-lock';
import type * as Schema from '../../../typeorm/src/mfa-typeorm.schema';

type MigrationClass = new () => MigrationInterface;

interface MigrationState {
  applied: string[];
  pending: string[];
}

/** `migrate [--dry-run]` and `migrate status`: the store's own migrations, in its `mfa_migrations` table. */
export const registerMigrate: RegisterCommand = (program, ctx) => {
  const migrate = program
    .command('migrate')
    .description("run the MFA store's pending migrations (under the same lock instances take at boot)")
    .option('--dry-run', 'print the SQL the pending migrations would run, and change nothing')
    .action((opts: { dryRun?: boolean }) => (opts.dryRun ? dryRun(ctx) : run(ctx)));
  migrate
    .command('status')
    .description('list applied and pending migrations; exit 1 when any is pending')
    .action(() => status(ctx));
};

async function run(ctx: CliContext): Promise<void> {
  await withMigrationSource(ctx, true, async (dataSource, typeorm) => {
    const before = await stateOf(dataSource, typeorm.mfaMigrations);
    const { withMigrationLock } = require('../../../typeorm/src/migration-lock') as typeof MigrationLock;
    let ran: Array<{ name: string }>;
    try {
      ran = await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
    } catch (err) {
      throw migrationFailure(err);
    }
    const after = await stateOf(dataSource, typeorm.mfaMigrations);
    const names = ran.map((m) => m.name);
    ctx.output.result({ ran: names, ...after, alreadyApplied: before.applied.length }, [
      names.length ? `Applied ${names.length} migration(s):` : 'Nothing to migrate: the store is up to date.',
      ...names.map((n) => `  ${n}`),
    ]);
  });
}

async function dryRun(ctx: CliContext): Promise<void> {
  await withMigrationSource(ctx, false, async (dataSource, typeorm) => {
    const state = await stateOf(dataSource, typeorm.mfaMigrations);
    const byName = (names: string[]) => names.map((n) => typeorm.mfaMigrations.find((m) => nameOf(m) === n)!);
    const { dryRunMigrations } = require('../migrate-dry-run') as typeof DryRun;
    let sql: string[];
    try {
      sql = state.pending.length
        ? await dryRunMigrations(dataSource, byName(state.applied), byName(state.pending))
        : [];
    } catch (err) {
      throw new CliRefusal(
        'DRY_RUN_FAILED',
        `The dry run could not run the pending migrations: ${(err as Error).message}` +
          (/mysql|mariadb/.test(dataSource.options.type)
            ? ' (on MySQL/MariaDB it needs the right to CREATE and DROP a scratch database, since DDL there commits itself)'
            : ''),
        EXIT.store,
      );
    }
    ctx.output.result({ dryRun: true, ...state, sql }, [
      state.pending.length
        ? `-- ${state.pending.length} pending migration(s); nothing was changed.`
        : '-- Nothing to migrate.',
      ...sql,
    ]);
  });
}

async function status(ctx: CliContext): Promise<void> {
  await withMigrationSource(ctx, false, async (dataSource, typeorm) => {
    const state = await stateOf(dataSource, typeorm.mfaMigrations);
    if (state.pending.length)
      throw new CliRefusal(
        'MIGRATIONS_PENDING',
        `${state.pending.length} migration(s) pending: ${state.pending.join(', ')}. Run \`nestjs-mfa migrate\`.`,
        EXIT.refused,
        state,
      );
    ctx.output.result(state, [`All ${state.applied.length} migrations are applied.`]);
  });
}

/**
 * The DataSource the store itself opens (its entities, migrations and `mfa_migrations` table),
 * but without migrating on open, so `--dry-run` and `status` see the store as it is.
 */
async function withMigrationSource(
  ctx: CliContext,
  writes: boolean,
  use: (dataSource: DataSource, typeorm: typeof Schema) => Promise<void>,
): Promise<void> {
  const options = await ctx.options();
  const database = ownDatabase(options);
  // Opening an SQLite file creates it: a look that found no database leaves none behind.
  const file = database.type === 'better-sqlite3' && database.database !== ':memory:' ? String(database.database) : '';
  const fresh = file && !existsSync(file) && !writes ? [file, `${file}-wal`, `${file}-shm`] : undefined;
  loadTypeOrm(); // refuses with the packages to install when TypeORM is missing
  const typeorm = require('../../../typeorm/src/mfa-typeorm.schema') as typeof Schema;
  const { DataSource } = require('typeorm') as typeof import('typeorm');
  // As the store opens it (openMigrated): a file-backed SQLite database in WAL mode.
  const wal = database.type === 'better-sqlite3' && database.database !== ':memory:' ? { enableWAL: true } : {};
  let dataSource: DataSource;
  try {
    // The driver loads here: a missing one is a refusal naming the package, like a refused connection.
    dataSource = new DataSource({
      ...database,
      ...wal,
      entities: typeorm.mfaEntities,
      migrations: typeorm.mfaMigrations,
      migrationsTableName: typeorm.MFA_MIGRATIONS_TABLE,
      synchronize: false,
      migrationsRun: false,
      logger: migrationNotes(ctx),
    } as DataSourceOptions);
    await dataSource.initialize();
  } catch (err) {
    throw openFailure(storeConnectionError(err, database));
  }
  try {
    await use(dataSource, typeorm);
  } finally {
    await dataSource.destroy();
    if (fresh) for (const file of fresh) rmSync(file, { force: true });
  }
}

function ownDatabase(options: MfaSetupOptions): DataSourceOptions {
  if (options.store)
    throw new CliRefusal(
      'MIGRATE_NOT_OURS',
      'The configuration passes its own `store`: it migrates itself. `migrate` runs the migrations of the TypeORM store MFA opens from `database`.',
      EXIT.config,
    );
  if (options.dataSource)
    throw new CliRefusal(
      'MIGRATE_NOT_OURS',
      "The configuration shares your app's `dataSource`: its migrations (with `mfaMigrations` among them) are your app's to run. " +
        '`migrate` runs the migrations of the store MFA opens from `database`.',
      EXIT.config,
    );
  return options.database!;
}

async function stateOf(dataSource: DataSource, migrations: readonly MigrationClass[]): Promise<MigrationState> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName!;
    const rows: Array<{ name: string }> = (await runner.hasTable(table))
      ? await runner.query(
          `SELECT name FROM ${dataSource.driver.escape(table)} ORDER BY ${dataSource.driver.escape('timestamp')}`,
        )
      : [];
    const done = new Set(rows.map((r) => r.name));
    const names = migrations.map(nameOf);
    return { applied: names.filter((n) => done.has(n)), pending: names.filter((n) => !done.has(n)) };
  } finally {
    await runner.release();
  }
}

function nameOf(migration: MigrationClass): string {
  return new migration().name ?? migration.name;
}

// A migration the database refused, or a lock another instance held too long: the store's fault, EXIT.store.
function migrationFailure(err: unknown): unknown {
  const failure = storeFailure(err, 'MIGRATION_FAILED', 'A migration failed');
  if (failure !== err || !/Timed out waiting for another instance/.test((err as Error)?.message ?? '')) return failure;
  return new CliRefusal('MIGRATION_FAILED', (err as Error).message, EXIT.store);
}

// TypeORM logs each migration with console.log, always: on stdout it would break --json output.
function migrationNotes(ctx: CliContext): Logger {
  return migrationLogger((line) => ctx.output.note(line));
}
