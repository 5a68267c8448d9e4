import type { DataSourceOptions } from 'typeorm';
import { MfaConfigurationError, MfaStoreConnectionError } from '../../core/src';

type DriverError = Error & { code?: string; errors?: unknown[] };

const DEFAULT_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };
const DRIVER_PACKAGES: Record<string, string> = {
  postgres: 'pg',
  mysql: 'mysql2',
  mariadb: 'mysql2',
  'better-sqlite3': 'better-sqlite3',
};

// The database is not there yet (starting beside the app, DNS not yet published) or is
// busy: worth another try. Everything else (auth, a missing database, SQL) is a fix to make.
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR', // mysql2
  '57P03',
  '53300', // PostgreSQL: starting up, too many connections
]);
const TRANSIENT_MESSAGES = /Connection terminated|timeout expired|the database system is (starting up|shutting down)/i;

/** Is this failure to open the store worth retrying? */
export function isTransientStoreError(err: unknown): boolean {
  if (err instanceof MfaConfigurationError || !isErrorLike(err)) return false;
  const { code, errors, message } = err;
  if (code && TRANSIENT_CODES.has(code)) return true;
  // Node reports "localhost" tried on both ::1 and 127.0.0.1 as an AggregateError.
  if (Array.isArray(errors) && errors.some(isTransientStoreError)) return true;
  return TRANSIENT_MESSAGES.test(message ?? '');
}

// Not `instanceof Error`: socket errors may come from another realm (a test VM, a worker).
function isErrorLike(err: unknown): err is Partial<DriverError> {
  return typeof err === 'object' && err !== null && ('message' in err || 'code' in err);
}

/** The store's address for messages and logs, e.g. `postgres://db:5432/app`: never its credentials. */
export function storeAddress(options: DataSourceOptions): string {
  const kind = options.type;
  if (kind === 'better-sqlite3') return `${kind}:${String(options.database ?? '')}`;
  const source = connectionSource(options);
  const port = DEFAULT_PORTS[kind] ?? '';
  if (source.url) {
    const url = parseUrl(source.url);
    // The raw string may hold a password, so an unparseable one is never echoed.
    return url ? `${kind}://${url.hostname}:${url.port || port}${url.pathname}` : `${kind} (url is not a valid URL)`;
  }
  return `${kind}://${source.host ?? 'localhost'}:${source.port ?? port}/${source.database ?? ''}`;
}

/** A short tag for one log line: the driver's code when it has one. */
export function storeErrorTag(err: unknown): string {
  const { code, message } = (err ?? {}) as DriverError;
  return code ?? (message || 'unknown error').slice(0, 80);
}

/**
 * The boot error for a store that could not be opened: where, the driver's reason, and the
 * option to set. `retriedMs` is how long boot kept trying; `shared` means the app's own DataSource.
 */
export function storeConnectionError(
  err: unknown,
  options: DataSourceOptions,
  context: { retriedMs?: number; shared?: boolean } = {},
): Error {
  if (err instanceof MfaConfigurationError) return err;
  const store = storeAddress(options) + (context.shared ? " (your app's DataSource)" : '');
  const reason = scrub(driverReason(err), options);
  if ((err as Error)?.name === 'DriverPackageNotInstalledError') {
    const wanted = /npm install ([\w@/.-]+)/.exec(reason)?.[1] ?? DRIVER_PACKAGES[options.type] ?? options.type;
    return new MfaStoreConnectionError(
      `nestjs-mfa's store at ${store} needs the \`${wanted}\` package: run \`npm install ${wanted}\`.`,
      store,
      reason,
      { cause: err },
    );
  }
  const source = connectionSource(options);
  // The usual cause: `url: process.env.DATABASE_URL` with the variable unset.
  const unset =
    !context.shared && !source.url && !source.host && options.type in DEFAULT_PORTS
      ? 'Neither `url` nor `host` was given (is the environment variable behind it set?). '
      : '';
  const setting = context.shared
    ? 'Check the host, port, user, password and database of the DataSource passed as `dataSource`.'
    : `${unset}Set ${exampleSetting(options.type)} in MfaModule.forRoot / createMfa.`;
  const retried = context.retriedMs ? `, still after ${formatDelay(context.retriedMs)} of retries` : '';
  const message = isTransientStoreError(err)
    ? `nestjs-mfa could not reach its store at ${store} (${reason})${retried}. Start the database or fix its address. ${setting} ` +
      '`databaseConnectRetry: { timeoutMs }` waits longer for a database that starts late.'
    : `nestjs-mfa could not open its store at ${store} (${reason}). ${setting}`;
  return new MfaStoreConnectionError(message, store, reason, { cause: err });
}

/** "250ms", "1s", "2.5s": for retry logs and messages. */
export function formatDelay(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${Math.round(ms / 100) / 10}s`;
}

function exampleSetting(kind: string): string {
  if (kind === 'better-sqlite3') return "`database: { type: 'better-sqlite3', database: 'mfa.sqlite' }`";
  const scheme = kind === 'postgres' ? 'postgres' : 'mysql';
  return `\`database: { type: '${kind}', url: '${scheme}://USER:PASSWORD@HOST:${DEFAULT_PORTS[kind] ?? 'PORT'}/DB' }\``;
}

function driverReason(err: unknown): string {
  if (!isErrorLike(err)) return String(err);
  const { message, code, errors, name } = err;
  // An AggregateError has an empty message; its parts say what happened.
  const parts = Array.isArray(errors) ? errors.map((e) => (e as Error)?.message).filter(Boolean) : [];
  return message || parts.join('; ') || code || name || 'unknown error';
}

/** Drivers rarely echo a password, but a URL in an error would carry one. */
function scrub(reason: string, options: DataSourceOptions): string {
  const source = connectionSource(options);
  const secrets = [source.password, source.url && parseUrl(source.url)?.password].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return secrets.reduce((text, secret) => text.split(secret).join('***').split(safeDecode(secret)).join('***'), reason);
}

interface ConnectionSource {
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  password?: unknown;
}

// With read replicas, the primary is the one MFA writes to and migrates.
function connectionSource(options: DataSourceOptions): ConnectionSource {
  const replication = (options as { replication?: { master?: ConnectionSource } }).replication;
  return replication?.master ?? (options as ConnectionSource);
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
