import { DataSource, DataSourceOptions } from 'typeorm';
import { MfaConfigurationError } from '../../core/src';
import { MFA_MIGRATIONS_TABLE, mfaEntities, mfaMigrations } from './mfa-typeorm.schema';

// Any fixed number; it only has to be the same in every instance of this library.
const MIGRATION_LOCK_ID = 7_340_217_001;
const MIGRATION_LOCK_NAME = 'nestjs_mfa_migrations';

/**
 * Instances that boot together (a rolling deploy) must not run the same migration twice:
 * a session-level advisory lock (PostgreSQL) or named lock (MySQL/MariaDB), held on one
 * connection for the whole run, lets one migrate while the others wait and then find
 * nothing left to do. SQLite serialises writers on its own.
 */
export async function withMigrationLock<T>(dataSource: DataSource, run: () => Promise<T>): Promise<T> {
  const type = dataSource.options.type;
  if (type !== 'postgres' && type !== 'mysql' && type !== 'mariadb') return run();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (type === 'postgres') await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    else {
      const [row] = await runner.query('SELECT GET_LOCK(?, 120) AS got', [MIGRATION_LOCK_NAME]);
      if (Number(row?.got) !== 1)
        throw new Error('Timed out waiting for another instance to finish the MFA migrations');
    }
    try {
      return await run();
    } finally {
      await (type === 'postgres'
        ? runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID])
        : runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK_NAME]));
    }
  } finally {
    await runner.release();
  }
}

/** Opens a DataSource with the MFA entities and their own migrations table, and migrates it under the lock. */
export async function openMigrated(options: DataSourceOptions): Promise<DataSource> {
  const extra = options.type === 'better-sqlite3' && options.database !== ':memory:' ? { enableWAL: true } : {};
  const dataSource = new DataSource({
    ...options,
    ...extra,
    entities: mfaEntities,
    migrations: mfaMigrations,
    migrationsTableName: MFA_MIGRATIONS_TABLE,
    synchronize: false,
    migrationsRun: false,
  } as DataSourceOptions);
  await dataSource.initialize();
  try {
    await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  return dataSource;
}

/** The app's own DataSource migrates itself; this only refuses one that never took the MFA entities and migrations. */
export async function checkMigrated(dataSource: DataSource): Promise<void> {
  const fix =
    'Add `mfaEntities` to its entities and `mfaMigrations` to its migrations (from nestjs-mfa/typeorm), then run its migrations.';
  if (!dataSource.isInitialized)
    throw new MfaConfigurationError(`The DataSource given to nestjs-mfa is not initialized: call initialize() first.`);
  if (!mfaEntities.every((entity) => dataSource.hasMetadata(entity))) {
    throw new MfaConfigurationError(`The DataSource given to nestjs-mfa does not know the MFA entities. ${fix}`);
  }
  const runner = dataSource.createQueryRunner();
  try {
    if (!(await runner.hasTable('mfa_session_factors'))) {
      throw new MfaConfigurationError(`The MFA tables do not exist in the DataSource given to nestjs-mfa. ${fix}`);
    }
  } finally {
    await runner.release();
  }
}
