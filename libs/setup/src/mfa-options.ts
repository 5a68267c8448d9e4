import type { DataSource, DataSourceOptions } from 'typeorm';
import type { AuditSink, CounterStore, EmailSender, MfaCoreOptions, MfaStore, SmsSender } from '../../core/src';
import type { HttpSmsSenderOptions, SmsPresetOptions, SmtpEmailSenderOptions } from '../../delivery/src';
import type { MfaHttpOptions } from '../../http/src';
import type { DatabaseConnectRetry } from './connect-with-retry';

export type AuditTarget = AuditSink | 'logger' | 'database';

/** Where the engine's parts come from: store, database, counters, audit, SMS and email. */
export interface MfaSetupOptions extends Omit<MfaCoreOptions, 'store' | 'audit' | 'counters' | 'sms' | 'email'> {
  /**
   * SMS codes: a preset (`{ preset: 'twilio', accountSid, authToken, from }`; also
   * 'vonage', 'infobip', 'messagebird', 'plivo'), a generic HTTP template
   * (`{ provider, url, auth, body, ... }`), or your own SmsSender.
   */
  sms?: SmsSender | SmsPresetOptions | HttpSmsSenderOptions;
  /** Email codes and notifications: `{ transport: <nodemailer SMTP options>, from }` or your own EmailSender. */
  email?: EmailSender | SmtpEmailSenderOptions;
  /** Your own store. When absent, MFA opens and migrates its own TypeORM DataSource from `database`. */
  store?: MfaStore;
  /**
   * Your app's own initialized DataSource, with `mfaEntities` and `mfaMigrations` (from
   * `nestjs-mfa/typeorm`) added to it and migrated. MFA then shares the app's database.
   */
  dataSource?: DataSource;
  /**
   * Connection for the store MFA owns (its own migrations table, `mfa_migrations`).
   * @default { type: 'better-sqlite3', database: 'mfa.sqlite' }
   */
  database?: DataSourceOptions;
  /**
   * Boot retries a database that refuses connections, times out or is not in DNS yet (apps
   * often start beside it), with waits from 250 ms doubling up to `maxDelayMs`, one stderr
   * line per retry. Wrong credentials or a missing database fail at once. Applies to
   * `database` and `dataSource`; `{ timeoutMs: 0 }` tries once.
   * @default { timeoutMs: 30000, maxDelayMs: 5000 }
   */
  databaseConnectRetry?: DatabaseConnectRetry;
  /**
   * Where audit events go: a sink of yours (e.g. `SyslogAuditSink`, `WebhookAuditSink`),
   * 'logger' (JSON lines on stdout), 'database' (the `mfa_audit_events` table, searchable
   * through `/mfa/admin/audit`), or a list of these, all of which receive every event.
   * @default 'logger'
   */
  audit?: AuditTarget | AuditTarget[];
  /**
   * Attempt counters: in-process (one instance), 'database' (the `mfa_counters` table of the
   * TypeORM store, shared by every instance) or your CounterStore, e.g.
   * `await RedisCounterStore.connect(url)` from `nestjs-mfa/redis`.
   * @default 'memory'
   */
  counters?: CounterStore | 'memory' | 'database';
}

/** The options both adapters take: `MfaModule.forRoot(options)` and `createMfa(options)`. */
export interface MfaOptions extends MfaSetupOptions, MfaHttpOptions {}
