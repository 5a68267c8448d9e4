import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { MfaModuleOptions } from '../src';
import { RedisCounterStore } from '../src/redis';

/**
 * Where the sample keeps its state. With none of these set it needs no service at all:
 * embedded SQLite, in-process counters, in-memory sessions. Set them to run several instances
 * behind one load balancer (test/multi-instance starts two this way):
 *   MFA_DATABASE_URL   postgres://… or mysql://…: the MFA store and its audit trail
 *   MFA_REDIS_URL      redis://…: attempt counters and locks shared by every instance
 *   SESSION_STORE_URL  postgres://…: express-session store shared by every instance (connect-pg-simple, table `session`)
 *   PORT, HOST         where to listen (default 3000 on every interface)
 */
export interface SampleEnv {
  database: DataSourceOptions;
  counters?: MfaModuleOptions['counters'];
  sessionStore?: session.Store;
  port: number;
  host?: string;
}

const DATABASE_TYPES: Record<string, 'postgres' | 'mysql'> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

export async function sampleEnv(dataDir: string, env = process.env): Promise<SampleEnv> {
  return {
    database: env.MFA_DATABASE_URL
      ? ({ type: databaseType(env.MFA_DATABASE_URL), url: env.MFA_DATABASE_URL } as DataSourceOptions)
      : { type: 'better-sqlite3', database: env.MFA_DB ?? join(dataDir, 'mfa.sqlite') },
    counters: env.MFA_REDIS_URL ? await RedisCounterStore.connect(env.MFA_REDIS_URL) : undefined,
    sessionStore: env.SESSION_STORE_URL
      ? new (connectPgSimple(session))({ conString: env.SESSION_STORE_URL, createTableIfMissing: true })
      : undefined,
    port: Number(env.PORT ?? 3000),
    host: env.HOST || undefined,
  };
}

function databaseType(url: string): 'postgres' | 'mysql' {
  const type = DATABASE_TYPES[new URL(url).protocol];
  if (!type) throw new Error(`MFA_DATABASE_URL must be a postgres:// or mysql:// URL, not ${new URL(url).protocol}//…`);
  return type;
}
