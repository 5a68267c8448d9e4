import { DataSource, DataSourceOptions } from 'typeorm';
import type { Backend } from './backends';

/** A backend, and for a shared server its URL as given and the database of its own on it. */
export interface OwnDatabaseBackend extends Backend {
  server?: string;
  database?: string;
}

const inDatabase = (url: string, db: string) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();

/**
 * SQLite always; PostgreSQL and MariaDB when MFA_TEST_POSTGRES_URL / MFA_TEST_MARIADB_URL are
 * set, each on a database of its own on that server, so no other suite's run races this one.
 * `name` is that database, or makes it from the database the URL names.
 */
export function ownDatabaseBackends(
  name: string | ((urlDatabase: string) => string),
  sqlite: DataSourceOptions,
): OwnDatabaseBackend[] {
  const own = (type: 'postgres' | 'mariadb', server: string | undefined): OwnDatabaseBackend[] => {
    if (!server) return [];
    const database = typeof name === 'string' ? name : name(new URL(server).pathname.slice(1));
    return [{ name: type, server, database, options: { type, url: inDatabase(server, database) } }];
  };
  return [
    { name: 'sqlite', options: sqlite },
    ...own('postgres', process.env.MFA_TEST_POSTGRES_URL),
    ...own('mariadb', process.env.MFA_TEST_MARIADB_URL),
  ];
}

/** Creates the backend's own database unless it exists; nothing to do for SQLite. */
export async function createOwnDatabase({ server, database, options }: OwnDatabaseBackend): Promise<void> {
  if (!server || !database) return;
  // The server's own database: the one the URL names may not exist yet either.
  const url = inDatabase(server, options.type === 'postgres' ? 'postgres' : '');
  const ds = await new DataSource({ type: options.type, url } as DataSourceOptions).initialize();
  try {
    if (options.type !== 'postgres') await ds.query(`CREATE DATABASE IF NOT EXISTS ${database}`);
    else if (!(await ds.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).length)
      await ds.query(`CREATE DATABASE ${database}`);
  } finally {
    await ds.destroy();
  }
}
