import { spawn, ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import type { OwnDatabaseBackend } from './own-database';

const ROOT = join(__dirname, '..', '..');
const HOOK = join(__dirname, 'transpile-ts.hook.js');
const MAIN = join(ROOT, 'libs', 'cli', 'src', 'main.ts');
// What the CLI reads from the environment: a test names each one it means to set.
const CLI_VARIABLES = ['MFA_DATABASE_URL', 'MFA_ENCRYPTION_KEYS', 'MFA_CONFIG', 'MFA_OPERATOR'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `nestjs-mfa <args>` as a process over the TypeScript sources (no build), as an operator runs it. */
export function startCli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT) {
  const base = { ...process.env };
  for (const name of CLI_VARIABLES) delete base[name];
  return spawn(process.execPath, ['-r', HOOK, MAIN, ...args], { cwd, env: { ...base, ...env } });
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}, cwd = ROOT): Promise<CliResult> {
  return collect(startCli(args, env, cwd));
}

export function collect(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one JSON document a --json run printed on stdout. */
export function jsonOf<T = Record<string, unknown>>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** The backend as the CLI is told of it: MFA_DATABASE_URL. */
export function databaseUrlOf(backend: OwnDatabaseBackend): string {
  const { options } = backend;
  if (options.type === 'better-sqlite3') return `sqlite:${String(options.database)}`;
  const url = (options as { url: string }).url;
  return options.type === 'mariadb' ? url.replace(/^mysql:/, 'mariadb:') : url;
}

/** A fresh SQLite file for each call, so a suite's backends can start empty more than once. */
export function sqliteFile(name: string): DataSourceOptions {
  return { type: 'better-sqlite3', database: join(mkdtempSync(join(tmpdir(), `${name}-`)), 'mfa.sqlite') };
}

/** Drops and re-creates the backend's own database: every MFA table and migration row gone. */
export async function emptyOwnDatabase(backend: OwnDatabaseBackend): Promise<OwnDatabaseBackend> {
  const { server, database, options } = backend;
  if (!server || !database) return { ...backend, options: sqliteFile(backend.name) };
  const postgres = options.type === 'postgres';
  const url = Object.assign(new URL(server), { pathname: postgres ? '/postgres' : '/' }).toString();
  const ds = await new DataSource({ type: options.type, url } as DataSourceOptions).initialize();
  try {
    await ds.query(
      postgres ? `DROP DATABASE IF EXISTS ${database} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${database}`,
    );
    await ds.query(`CREATE DATABASE ${database}`);
  } finally {
    await ds.destroy();
  }
  return backend;
}

/** Every table, column and index of the database, and the migration rows: what "changed nothing" compares. */
export async function schemaSnapshot(options: DataSourceOptions): Promise<unknown> {
  const ds = await new DataSource(options).initialize();
  try {
    const migrationRows = async (has: boolean) =>
      has ? ds.query('SELECT name FROM mfa_migrations ORDER BY name') : [];
    if (options.type === 'better-sqlite3') {
      const master = await ds.query('SELECT type, name, sql FROM sqlite_master ORDER BY name');
      return {
        master,
        migrations: await migrationRows(master.some((m: { name: string }) => m.name === 'mfa_migrations')),
      };
    }
    const schema = options.type === 'postgres' ? "table_schema = 'public'" : 'table_schema = DATABASE()';
    const columns = await ds.query(
      `SELECT table_name AS t, column_name AS c, data_type AS d FROM information_schema.columns WHERE ${schema} ORDER BY 1, 2`,
    );
    const indexes =
      options.type === 'postgres'
        ? await ds.query("SELECT indexname AS i, indexdef AS d FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
        : await ds.query(
            `SELECT table_name AS t, index_name AS i, column_name AS c FROM information_schema.statistics WHERE ${schema} ORDER BY 1, 2, 3`,
          );
    const migrations = await migrationRows(columns.some((c: { t: string }) => c.t === 'mfa_migrations'));
    return { columns, indexes, migrations };
  } finally {
    await ds.destroy();
  }
}
