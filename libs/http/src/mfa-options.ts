import type { DataSource, DataSourceOptions } from 'typeorm';
import type { AuditSink, MfaCoreOptions, MfaStore } from '../../core/src';
import type { ResolveSubject } from './subject-resolvers';

/** The options both adapters take: `MfaModule.forRoot(options)` and `createMfa(options)`. */
export interface MfaOptions extends Omit<MfaCoreOptions, 'store' | 'audit'> {
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
   * Where audit events go: a sink of yours, 'logger' (JSON lines on stdout) or
   * 'database' (the `mfa_audit_events` table of the TypeORM store).
   * @default 'logger'
   */
  audit?: AuditSink | 'logger' | 'database';
  /**
   * Maps a request to the signed-in subject, or null when nobody is signed in.
   * @default a JWT `sid` claim on req.user, else passport with express-session
   */
  resolveSubject?: ResolveSubject;
}
