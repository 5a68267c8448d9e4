import { LoggerAuditSink, MfaConfigurationError, MfaError, MfaStoreConnectionError } from '../../core/src';
import type { AuditEvent, AuditPage, AuditQuery, AuditReader, AuditSink, MfaStore } from '../../core/src';
import { createMfaEngine } from '../../setup/src';
import type { AuditTarget, MfaSetupOptions } from '../../setup/src';
import { isTransientStoreError, storeConnectionError } from '../../setup/src/store-connection.errors';
import type { Logger } from 'typeorm';
import type * as MfaTypeOrm from '../../typeorm/src';
import { CliRefusal, CliRuntime, EXIT } from './cli-context';

/**
 * The engine over the configured store, as the app builds it but for one command: no
 * retention timer, one connection attempt (an operator wants the error, not a wait), and
 * audit into the store's own table so operator actions sit beside the app's events. The
 * stdout logger never runs: stdout belongs to the command's output.
 */
export async function openCliRuntime(options: MfaSetupOptions): Promise<CliRuntime> {
  const store = options.store ?? (await openTypeOrmStore(options));
  const audit = new SettlingAuditSink(auditSinks(options, store));
  const resolved: MfaSetupOptions = {
    ...options,
    store,
    audit,
    retention: { ...options.retention, enabled: false },
    databaseConnectRetry: { timeoutMs: 0 },
  };
  try {
    const engine = await createMfaEngine(resolved);
    const close = async () => {
      await engine.notificationsSettled();
      await audit.settled(); // the engine hands events over without waiting: they land before the store closes
      await engine.close(); // closes the store too
    };
    return { options: resolved, engine, store, close };
  } catch (err) {
    if (!options.store) await store.close?.();
    throw openFailure(err);
  }
}

function auditSinks(options: MfaSetupOptions, store: MfaStore): AuditSink[] {
  const given: AuditTarget[] = Array.isArray(options.audit) ? options.audit : options.audit ? [options.audit] : [];
  const sinks = given.filter((target): target is AuditSink => typeof target === 'object');
  const dataSource = (store as { dataSource?: ConstructorParameters<typeof MfaTypeOrm.TypeOrmAuditSink>[0] })
    .dataSource;
  if (dataSource) {
    const { TypeOrmAuditSink, TypeOrmMfaStore } = loadTypeOrm();
    return [...sinks, new TypeOrmAuditSink(dataSource, { writtenByStoreCommit: store instanceof TypeOrmMfaStore })];
  }
  // A store of the app's own has no audit table of ours: the app's sinks, else JSON lines on stderr.
  return sinks.length ? sinks : [new LoggerAuditSink((line) => process.stderr.write(line + '\n'))];
}

/** The configured sinks, keeping each write it hands over, so closing can wait for them. */
class SettlingAuditSink implements AuditSink, AuditReader {
  readonly writtenByStoreCommit: boolean;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly sinks: AuditSink[]) {
    this.writtenByStoreCommit = sinks.some((s) => s.writtenByStoreCommit);
  }

  emit(event: AuditEvent): Promise<void> {
    const write = Promise.all(this.sinks.map((sink) => Promise.resolve(sink.emit(event)))).then(() => undefined);
    const tracked = write.catch(() => undefined).finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    return write;
  }

  query(query: AuditQuery): Promise<AuditPage> {
    const reader = this.sinks.find(
      (s): s is AuditSink & AuditReader => typeof (s as Partial<AuditReader>).query === 'function',
    );
    return reader ? reader.query(query) : Promise.reject(new MfaError('AUDIT_QUERY_UNAVAILABLE'));
  }

  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}

/** The store the app itself would open: its own DataSource from `database`, or the app's `dataSource`. */
export async function openTypeOrmStore(options: MfaSetupOptions): Promise<MfaStore> {
  const typeorm = loadTypeOrm();
  const database = options.dataSource?.options ?? options.database!;
  try {
    return options.dataSource
      ? await typeorm.TypeOrmMfaStore.attach(options.dataSource)
      : await typeorm.TypeOrmMfaStore.connect({ ...database, logger: migrationsToStderr });
  } catch (err) {
    throw openFailure(storeConnectionError(err, database, { shared: !!options.dataSource }));
  }
}

/**
 * TypeORM's console logger writes on stdout: a failed migration always, and every query and
 * migration step when the app's config turns `logging` on (common in development). A store
 * opened on a database's first use migrates it, so under --json that would break the one
 * document stdout holds. This logger hands migration messages to `write` (a note on stderr)
 * and drops the rest: failures surface as refusals with the driver's message.
 */
export function migrationLogger(write: (line: string) => void): Logger {
  const none = () => undefined;
  return {
    logQuery: none,
    logQueryError: none,
    logQuerySlow: none,
    logSchemaBuild: none,
    log: none,
    logMigration: (message: string) => write(message),
  };
}

const migrationsToStderr = migrationLogger((line) => process.stderr.write(line + '\n'));

export function loadTypeOrm(): typeof MfaTypeOrm {
  try {
    return require('../../typeorm/src') as typeof MfaTypeOrm;
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new CliRefusal(
      'DRIVER_NOT_INSTALLED',
      'The MFA store needs TypeORM and a driver: run `npm install typeorm` and one of better-sqlite3, pg or mysql2.',
      EXIT.config,
    );
  }
}

/** A missing driver is a fix to the installation (EXIT.config); an unreachable store is EXIT.store. */
export function openFailure(err: unknown): unknown {
  if (err instanceof CliRefusal) return err;
  if (err instanceof MfaStoreConnectionError) {
    const missingDriver = (err.cause as Error | undefined)?.name === 'DriverPackageNotInstalledError';
    return new CliRefusal(
      missingDriver ? 'DRIVER_NOT_INSTALLED' : 'STORE_UNREACHABLE',
      err.message,
      missingDriver ? EXIT.config : EXIT.store,
      { store: err.store },
    );
  }
  if (err instanceof MfaConfigurationError) return new CliRefusal('CONFIG_INVALID', err.message, EXIT.config);
  return err;
}

// A driver's own codes for a session the server ended or a database file it cannot use:
// what isTransientStoreError counts, plus those only a running command meets.
const STORE_CODES = /^(57P0[1-3]|08[0-9A-Z]{3}|SQLITE_[A-Z_]+|ER_[A-Z_]+|PROTOCOL_[A-Z_]+)$/;

/**
 * A store that failed under a running command (a query refused, a lock that timed out, a
 * connection dropped) is EXIT.store with the driver's message: no stack, no credentials.
 * Anything else is left as it is, so a genuine bug still shows its stack.
 */
export function storeFailure(err: unknown, code = 'STORE_FAILED', what = 'The MFA store failed'): unknown {
  if (err instanceof CliRefusal || !isStoreError(err)) return err;
  const message = scrubUrls((err as Error).message || (err as { code?: string }).code || 'unknown store error');
  return new CliRefusal(code, `${what}: ${message}`, EXIT.store);
}

function isStoreError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { name, code } = err as { name?: unknown; code?: unknown };
  // By name, not instanceof: TypeORM stays unloaded in an app of its own store.
  if (name === 'QueryFailedError' || name === 'SqliteError') return true;
  if (typeof code === 'string' && STORE_CODES.test(code)) return true;
  return isTransientStoreError(err);
}

/** A connection string in a driver message would carry its password. */
function scrubUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
}
