import {
  AuditReader,
  AuditSink,
  CounterStore,
  EmailSender,
  FanOutAuditSink,
  isRetentionStore,
  KeyRing,
  LoggerAuditSink,
  MfaConfigurationError,
  MfaEngine,
  MfaStore,
  RetentionOptions,
  SessionInvalidationBus,
  SmsSender,
} from '../../core/src';
import { HttpSmsSender, smsPreset, SmtpEmailSender } from '../../delivery/src';
import type { HttpSmsSenderOptions, SmsPresetOptions } from '../../delivery/src';
import type * as MfaTypeOrm from '../../typeorm/src';
import { MfaSetupOptions } from './mfa-options';
import { connectWithRetry } from './connect-with-retry';
import {
  formatDelay,
  isTransientStoreError,
  storeAddress,
  storeConnectionError,
  storeErrorTag,
} from './store-connection.errors';

const DEFAULT_DATABASE = { type: 'better-sqlite3', database: 'mfa.sqlite' } as const;

/** Builds the engine once per module; the TypeORM store is loaded only when it is used. */
export async function createMfaEngine(options: MfaSetupOptions): Promise<MfaEngine> {
  new KeyRing(options.encryption); // a missing key stops boot before any database is opened
  const store = options.store ?? (await openTypeOrmStore(options));
  // The embedded SQLite database belongs to this one process, so its session cache is exact.
  const embedded =
    !options.store && !options.dataSource && (options.database ?? DEFAULT_DATABASE).type === 'better-sqlite3';
  // Redis counters bring a pub/sub bus that keeps every instance's cache exact.
  const counters = options.counters as { sessionInvalidation?: () => SessionInvalidationBus } | undefined;
  const sessionInvalidation = options.sessionInvalidation ?? counters?.sessionInvalidation?.();
  const sessionCacheTtl = options.sessionCacheTtl ?? (embedded || sessionInvalidation ? 60 : 0);
  try {
    const engine = new MfaEngine({
      ...options,
      store,
      sessionCacheTtl,
      sessionInvalidation,
      ...auditSinkFor(options, store),
      counters: countersFor(options, store),
      retention: retentionFor(options, store),
      sms: smsSenderFor(options),
      email: emailSenderFor(options),
    });
    await engine.init(); // loads the active policy, or stores the one from the options as version 1
    return engine;
  } catch (err) {
    if (!options.store) await store.close?.();
    throw err;
  }
}

async function openTypeOrmStore(options: MfaSetupOptions): Promise<MfaStore> {
  let typeorm: typeof MfaTypeOrm;
  try {
    typeorm = require('../../typeorm/src');
  } catch (err) {
    if ((err as { code?: string }).code !== 'MODULE_NOT_FOUND') throw err;
    throw new MfaConfigurationError(
      'The default MFA store needs TypeORM: run `npm install typeorm better-sqlite3` (or pg / mysql2), or pass `store`.',
    );
  }
  const { dataSource } = options;
  const database = dataSource?.options ?? options.database ?? DEFAULT_DATABASE;
  const open = () =>
    dataSource ? typeorm.TypeOrmMfaStore.attach(dataSource) : typeorm.TypeOrmMfaStore.connect(database);
  const started = Date.now();
  let retried = false;
  try {
    return await connectWithRetry(open, options.databaseConnectRetry, {
      isTransient: isTransientStoreError,
      onRetry: (err, delayMs) => {
        retried = true;
        process.stderr.write(
          `nestjs-mfa: store ${storeAddress(database)} unreachable (${storeErrorTag(err)}), retrying in ${formatDelay(delayMs)}\n`,
        );
      },
    });
  } catch (err) {
    throw storeConnectionError(err, database, { retriedMs: retried ? Date.now() - started : 0, shared: !!dataSource });
  }
}

function auditSinkFor(options: MfaSetupOptions, store: MfaStore): { audit: AuditSink; auditReader?: AuditReader } {
  const targets = Array.isArray(options.audit) ? options.audit : [options.audit ?? 'logger'];
  const sinks = targets.map((target): AuditSink => {
    if (target === 'logger') return new LoggerAuditSink();
    if (target !== 'database') return target;
    const dataSource = (store as { dataSource?: unknown }).dataSource;
    if (!dataSource)
      throw new MfaConfigurationError("audit: 'database' needs the TypeORM store; pass an AuditSink instead.");
    const { TypeOrmAuditSink, TypeOrmMfaStore } = require('../../typeorm/src') as typeof MfaTypeOrm;
    // The TypeORM store writes a verification's audit rows inside the verification's own commit.
    return new TypeOrmAuditSink(dataSource as ConstructorParameters<typeof TypeOrmAuditSink>[0], {
      writtenByStoreCommit: store instanceof TypeOrmMfaStore,
    });
  });
  const auditReader = sinks.find(
    (sink): sink is AuditSink & AuditReader => typeof (sink as Partial<AuditReader>).query === 'function',
  );
  return { audit: sinks.length === 1 ? sinks[0] : new FanOutAuditSink(sinks), auditReader };
}

function countersFor(options: MfaSetupOptions, store: MfaStore): CounterStore | undefined {
  if (options.counters === undefined || options.counters === 'memory') return undefined;
  if (options.counters !== 'database') return options.counters;
  const dataSource = (store as { dataSource?: unknown }).dataSource;
  if (!dataSource)
    throw new MfaConfigurationError("counters: 'database' needs the TypeORM store; pass a CounterStore instead.");
  const { TypeOrmCounterStore } = require('../../typeorm/src') as typeof MfaTypeOrm;
  return new TypeOrmCounterStore(dataSource as ConstructorParameters<typeof TypeOrmCounterStore>[0]);
}

/**
 * Retention over the TypeORM store's own database when no RetentionStore is given: a
 * separate object, so the store class carries no pruning methods of its own. Built whether
 * or not `enabled` is set: `enabled` only drives the background timer, and
 * `engine.pruneExpired()` from a job of the host's must prune the same tables.
 */
function retentionFor(options: MfaSetupOptions, store: MfaStore): RetentionOptions | undefined {
  const given = options.retention;
  if (given?.store || isRetentionStore(store)) return given;
  // Only a TypeORM store brings a dataSource; checking first keeps TypeORM unloaded otherwise.
  if (!(store as { dataSource?: unknown }).dataSource) return given;
  const { TypeOrmMfaStore, TypeOrmRetentionStore } = require('../../typeorm/src') as typeof MfaTypeOrm;
  if (!(store instanceof TypeOrmMfaStore)) return given;
  return { ...given, store: new TypeOrmRetentionStore(store.dataSource) };
}

/** An SmsSender as given, else a preset or a generic HTTP template. */
function smsSenderFor(options: MfaSetupOptions): SmsSender | undefined {
  const sms = options.sms;
  if (!sms || typeof (sms as SmsSender).send === 'function') return sms as SmsSender | undefined;
  const config = sms as SmsPresetOptions | HttpSmsSenderOptions;
  return new HttpSmsSender('preset' in config ? smsPreset(config) : config);
}

function emailSenderFor(options: MfaSetupOptions): EmailSender | undefined {
  const email = options.email;
  if (!email || typeof (email as EmailSender).send === 'function') return email as EmailSender | undefined;
  return new SmtpEmailSender(email as ConstructorParameters<typeof SmtpEmailSender>[0]);
}
