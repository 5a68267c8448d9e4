import { randomBytes } from 'node:crypto';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';

type MigrationClass = new () => MigrationInterface;

// Reads a migration makes (a table's columns, the server version) and transaction control:
// neither is part of what a migration would change.
const NOT_A_CHANGE =
  /^\s*(SELECT|SHOW|WITH|DESCRIBE|EXPLAIN|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START TRANSACTION|PRAGMA\s+[\w.]+\s*(\(.*\))?\s*;?\s*$)/i;

/**
 * The SQL the pending migrations would run, found by running them for real where nothing can
 * stick: inside one transaction rolled back at the end on PostgreSQL and SQLite, whose DDL is
 * transactional; on MySQL/MariaDB, whose DDL commits itself, in a scratch database (brought to
 * the applied migrations first, dropped at the end), never the configured one.
 */
export async function dryRunMigrations(
  dataSource: DataSource,
  applied: MigrationClass[],
  pending: MigrationClass[],
): Promise<string[]> {
  const type = dataSource.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return inRolledBackTransaction(dataSource, pending);
  return inScratchDatabase(dataSource, applied, pending);
}

async function inRolledBackTransaction(dataSource: DataSource, pending: MigrationClass[]): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    try {
      return await capture(runner, pending);
    } finally {
      await runner.rollbackTransaction();
    }
  } finally {
    await runner.release();
  }
}

async function inScratchDatabase(
  dataSource: DataSource,
  applied: MigrationClass[],
  pending: MigrationClass[],
): Promise<string[]> {
  const name = `mfa_dry_run_${randomBytes(6).toString('hex')}`;
  await dataSource.query(`CREATE DATABASE \`${name}\``);
  try {
    const scratch = await new DataSource(inDatabase(dataSource.options, name)).initialize();
    try {
      const runner = scratch.createQueryRunner();
      try {
        for (const Migration of applied) await new Migration().up(runner);
        return await capture(runner, pending);
      } finally {
        await runner.release();
      }
    } finally {
      await scratch.destroy();
    }
  } finally {
    await dataSource.query(`DROP DATABASE IF EXISTS \`${name}\``);
  }
}

function inDatabase(options: DataSourceOptions, database: string): DataSourceOptions {
  const { url } = options as { url?: string };
  const moved = url ? { url: Object.assign(new URL(url), { pathname: `/${database}` }).toString() } : {};
  return { ...options, ...moved, database, entities: [], migrations: [], synchronize: false } as DataSourceOptions;
}

/** Runs each migration's `up` on `runner`, keeping every statement that changes something. */
async function capture(runner: QueryRunner, pending: MigrationClass[]): Promise<string[]> {
  const statements: string[] = [];
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, parameters?: unknown[], structured?: boolean) => {
    if (!NOT_A_CHANGE.test(sql)) statements.push(statement(sql, parameters));
    return query(sql, parameters, structured as true);
  }) as QueryRunner['query'];
  try {
    for (const Migration of pending) {
      const migration = new Migration();
      statements.push(`-- ${migration.name ?? Migration.name}`);
      await migration.up(runner);
    }
  } finally {
    runner.query = query;
  }
  return statements;
}

function statement(sql: string, parameters?: unknown[]): string {
  const text = sql.trim().replace(/;$/, '') + ';';
  return parameters?.length ? `${text} -- parameters: ${JSON.stringify(parameters)}` : text;
}
