/** P8's seeding on SQLite: a recursive CTE as the number series, on the server's own file (WAL). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeedDb, SeedDialect, SeedTarget } from './growth-seed';

/** What the bench uses of better-sqlite3 (TypeORM's SQLite driver here), which ships no types. */
export interface SqliteDb {
  exec(sql: string): void;
  pragma(sql: string): unknown;
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
  close(): void;
}
const Database = require('better-sqlite3') as new (file: string) => SqliteDb;

export const sqliteDialect: SeedDialect = {
  insert: (table, cols, from, to, where = 'true') =>
    `INSERT INTO ${table} (${Object.keys(cols).join(', ')}) ` +
    `WITH RECURSIVE s(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM s WHERE n < ${to}) ` +
    `SELECT ${Object.values(cols).join(', ')} FROM s WHERE ${where}`,
  user: (expr) => `printf('u%08x', ((${expr}) * 2654435761) % 4294967296)`,
  uuid: 'lower(hex(randomblob(16)))',
  hex: (bytes) => `lower(hex(randomblob(${bytes})))`,
  int: (k) => `(abs(random()) % ${k})`,
};

export function openSqliteSeed(file: string): SeedDb & { db: SqliteDb } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -1000000'); // 1 GB: random-key indexes of millions of rows stay in memory while seeding
  return {
    kind: 'sqlite',
    db,
    run: async (sql) => void db.exec(sql),
    close: async () => void db.close(),
  };
}

/** A fresh file in a temporary directory of its own. */
export function sqliteTarget(name: string): SeedTarget {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  const file = join(dir, 'mfa.sqlite');
  return {
    kind: 'sqlite',
    env: { MFA_BENCH_SQLITE_FILE: file },
    store: file,
    open: async () => openSqliteSeed(file),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
