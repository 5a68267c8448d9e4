/** P8's seeding on PostgreSQL: generate_series, and a session that need not wait for the disk. */
import { Client } from 'pg';
import type { SeedDb, SeedDialect, SeedTarget } from './growth-seed';

export const postgresDialect: SeedDialect = {
  insert: (table, cols, from, to, where = 'true') =>
    `INSERT INTO ${table} (${Object.keys(cols).join(', ')}) SELECT ${Object.values(cols).join(', ')} ` +
    `FROM generate_series(${from}, ${to}) AS s(n) WHERE ${where}`,
  user: (expr) => `('u' || lpad(to_hex(((${expr})::bigint * 2654435761) % 4294967296), 8, '0'))`,
  uuid: 'gen_random_uuid()::text',
  hex: (bytes) => (bytes === 16 ? 'md5(random()::text)' : 'md5(random()::text) || md5(random()::text)'),
  int: (k) => `floor(random() * ${k})::bigint`,
};

export async function openPostgresSeed(url: string): Promise<SeedDb & { client: Client }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  // Seeding only: a crash loses the seed, never anything else.
  await client.query('SET synchronous_commit = off');
  return {
    kind: 'postgres',
    client,
    run: async (sql) => void (await client.query(sql)),
    close: () => client.end(),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

/** A fresh database `name` on the server of `url` (dropped first if a crashed run left it). */
export async function postgresTarget(url: string, name: string): Promise<SeedTarget> {
  // The name goes into DROP/CREATE DATABASE unquoted: only a plain lower-case identifier.
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`refusing database name ${JSON.stringify(name)}`);
  const own = url.replace(/\/[^/]*$/, `/${name}`);
  const drop = () => admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await drop();
  await admin(url, `CREATE DATABASE ${name}`);
  return {
    kind: 'postgres',
    env: { MFA_BENCH_POSTGRES_URL: own },
    store: own,
    open: () => openPostgresSeed(own),
    drop,
  };
}
