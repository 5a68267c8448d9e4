/** PostgreSQL and Redis for the benchmarks: reachability, their own databases, a clean slate. */
import Redis from 'ioredis';
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { BA_POSTGRES_URL, POSTGRES_URL, REDIS_URL } from './bench-env';

function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function withClient<T>(url: string, run: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates the database if it is missing. Never touches any other database. */
async function ensureDatabase(url: string): Promise<void> {
  const name = databaseOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  if (name === 'test' || name === 'postgres')
    throw new Error(`refusing to use the shared database "${name}" for benchmarks`);
  await withClient(adminUrl(url), async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!found.rowCount) await c.query(`CREATE DATABASE ${name}`);
  });
}

let probed: Promise<{ postgres: string | null; redis: string | null }> | undefined;

/** Null when the service can be used, else why not (the PG/Redis parts are then skipped with that line). */
export function services(): Promise<{ postgres: string | null; redis: string | null }> {
  probed ??= (async () => {
    let postgres: string | null = null;
    let redis: string | null = null;
    try {
      await ensureDatabase(POSTGRES_URL);
      await ensureDatabase(BA_POSTGRES_URL);
    } catch (err) {
      postgres = `PostgreSQL unreachable at ${new URL(POSTGRES_URL).host} (${(err as Error).message})`;
    }
    const client = new Redis(REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
    } catch (err) {
      redis = `Redis unreachable at ${REDIS_URL} (${(err as Error).message})`;
    } finally {
      client.disconnect();
    }
    return { postgres, redis };
  })();
  return probed;
}

/** Drops everything in the benchmark's own database (public schema), so a server boots on empty tables. */
export async function resetPostgres(url: string): Promise<void> {
  const name = databaseOf(url);
  if (name === 'test' || name === 'postgres') throw new Error(`refusing to reset "${name}"`);
  await withClient(url, async (c) => {
    await c.query('DROP SCHEMA IF EXISTS public CASCADE');
    await c.query('CREATE SCHEMA public');
  });
}

/** Empties the benchmark's own Redis database (db 8 by default). */
export async function resetRedis(): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await client.flushdb();
  } finally {
    client.disconnect();
  }
}

/**
 * CPU (µs) of the PostgreSQL backends serving one database over a stretch of time. Backends come
 * and go with the pools, so /proc is sampled every 200 ms and each backend's last reading kept.
 */
export function postgresBackendCpu(url: string): { stop(): Promise<number> } {
  const db = databaseOf(url);
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = (initial: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        // "postgres: [<cluster>:] <user> <database> <host(port)> <state>"
        if (!cmd.startsWith('postgres: ')) continue;
        const words = cmd
          .replace(/\0/g, ' ')
          .split(' ')
          .slice(1)
          .filter((w) => w && !w.endsWith(':'));
        if (words[1] !== db) continue;
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        const pid = Number(entry);
        if (!first.has(pid)) first.set(pid, initial ? ticks : 0); // a backend born during the run counts whole
        last.set(pid, ticks);
      } catch {
        // the process ended between listing and reading
      }
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 200);
  return {
    async stop() {
      clearInterval(timer);
      sample(false);
      let ticks = 0;
      for (const [pid, end] of last) ticks += end - (first.get(pid) ?? 0);
      return (ticks / 100) * 1e6; // USER_HZ is 100 on Linux
    },
  };
}

/** CPU (µs) of the Redis server process, from its own INFO (shared by everyone using that server). */
export async function redisServerCpu(): Promise<number> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const info = await client.info('cpu');
    const sys = Number(info.match(/used_cpu_sys:([\d.]+)/)?.[1] ?? 0);
    const user = Number(info.match(/used_cpu_user:([\d.]+)/)?.[1] ?? 0);
    return (sys + user) * 1e6;
  } finally {
    client.disconnect();
  }
}
