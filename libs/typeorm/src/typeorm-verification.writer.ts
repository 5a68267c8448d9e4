import type { DataSource } from 'typeorm';
import type { VerificationCommit, VerificationOutcome, VerificationSpend } from '../../core/src';

export const SESSION_FACTOR_UPSERT =
  'INSERT INTO mfa_session_factors (session_ref, factor, user_id, verified_at, event_id, baseline) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (session_ref, factor) DO UPDATE SET user_id = excluded.user_id, verified_at = excluded.verified_at, event_id = excluded.event_id, baseline = excluded.baseline';
export const SESSION_FACTOR_UPSERT_MYSQL =
  'INSERT INTO mfa_session_factors (session_ref, factor, user_id, verified_at, event_id, baseline) VALUES (?, ?, ?, ?, ?, ?) ' +
  'ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), verified_at = VALUES(verified_at), event_id = VALUES(event_id), baseline = VALUES(baseline)';
export const COMPLETE_CHALLENGE = "UPDATE mfa_challenges SET status = 'completed', completed_at = ? WHERE id = ? AND status = 'pending'";
const GRANT_INSERT = 'INSERT INTO mfa_grants (id, user_id, session_ref, scope, factor, event_id, created_at, expires_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)';

type Sql = [sql: string, params: unknown[]];

/** The part of better-sqlite3 used here, which stays an optional peer dependency. */
interface Statement {
  run(...params: unknown[]): { changes: number };
}
interface Database {
  prepare(sql: string): Statement;
  transaction(run: () => void): { immediate(): void };
}

/** Each spend is one `UPDATE … WHERE <still unspent>`; the store's own spending methods use the same text. */
export function spendStatement(userId: string, spend: VerificationSpend, now: number): Sql {
  switch (spend.kind) {
    case 'totp_step':
      return [
        "UPDATE mfa_enrollments SET last_step = ?, last_used_at = ? WHERE id = ? AND user_id = ? AND status = 'active' AND (last_step IS NULL OR last_step < ?)",
        [spend.step, now, spend.enrollmentId, userId, spend.step],
      ];
    case 'backup_code':
      return ['UPDATE mfa_backup_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL', [now, spend.codeId, userId]];
    case 'otp_code':
      return ['UPDATE mfa_otp_codes SET consumed_at = ? WHERE id = ? AND user_id = ? AND consumed_at IS NULL AND expires_at > ?', [now, spend.codeId, userId, now]];
  }
}

/** Thrown inside a transaction to roll it back with an answer rather than an error. */
class Refused {
  constructor(readonly outcome: VerificationOutcome) {}
}

/**
 * Writes a verification as one transaction: the spend, the challenge's completion and the
 * session verification (or grant). On SQLite it runs synchronously on better-sqlite3's one
 * connection, so no other request's statement can land inside it; elsewhere it holds one
 * pooled connection (QueryRunner) from BEGIN to COMMIT.
 */
export class TypeOrmVerificationWriter {
  /**
   * TEST ONLY. `MFA_TEST_FAILPOINT=after-spend` SIGKILLs the process right after the spend
   * statement, inside the transaction, so a test can prove a crash there costs no code.
   * Read once here; unset (production), it is a constant false.
   */
  private readonly killAfterSpend = process.env.MFA_TEST_FAILPOINT === 'after-spend';
  private readonly prepared = new WeakMap<Database, Map<string, Statement>>();
  private readonly numbered = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  commit(c: VerificationCommit): Promise<VerificationOutcome> {
    const statements = this.statementsOf(c);
    return this.dataSource.options.type === 'better-sqlite3' ? Promise.resolve(this.commitOnSqlite(statements)) : this.commitOnPool(statements);
  }

  private statementsOf(c: VerificationCommit): { spend: Sql; complete: Sql; earn: Sql } {
    let earn: Sql;
    if ('grant' in c.earned) {
      const g = c.earned.grant;
      earn = [GRANT_INSERT, [g.id, g.userId, g.sessionRef, g.scope, g.factor, g.eventId, g.createdAt, g.expiresAt]];
    } else {
      const r = c.earned.sessionFactor;
      const mysql = this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
      earn = [mysql ? SESSION_FACTOR_UPSERT_MYSQL : SESSION_FACTOR_UPSERT, [r.sessionRef, r.factor, r.userId, r.verifiedAt, r.eventId, r.baseline ? JSON.stringify(r.baseline) : null]];
    }
    return { spend: spendStatement(c.userId, c.spend, c.now), complete: [COMPLETE_CHALLENGE, [c.now, c.challengeId]], earn };
  }

  private commitOnSqlite(s: { spend: Sql; complete: Sql; earn: Sql }): VerificationOutcome {
    const db = (this.dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    // Logged like TypeORM's own statements, so statement counts stay honest.
    const run = ([sql, params]: Sql) => {
      this.dataSource.logger.logQuery(sql, params);
      return this.statement(db, sql).run(...params).changes;
    };
    this.dataSource.logger.logQuery('BEGIN IMMEDIATE');
    try {
      db.transaction(() => {
        if (run(s.spend) !== 1) throw new Refused('already_spent');
        if (this.killAfterSpend) process.kill(process.pid, 'SIGKILL');
        if (run(s.complete) !== 1) throw new Refused('challenge_closed');
        run(s.earn);
      }).immediate();
    } catch (err) {
      this.dataSource.logger.logQuery('ROLLBACK');
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
    this.dataSource.logger.logQuery('COMMIT');
    return 'committed';
  }

  private async commitOnPool(s: { spend: Sql; complete: Sql; earn: Sql }): Promise<VerificationOutcome> {
    const runner = this.dataSource.createQueryRunner();
    const run = async ([sql, params]: Sql) => (await runner.query(this.text(sql), params, true)).affected ?? 0;
    try {
      await runner.startTransaction();
      try {
        const outcome = await this.apply(run, s);
        await (outcome === 'committed' ? runner.commitTransaction() : runner.rollbackTransaction());
        return outcome;
      } catch (err) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }

  private async apply(run: (sql: Sql) => Promise<number>, s: { spend: Sql; complete: Sql; earn: Sql }): Promise<VerificationOutcome> {
    if ((await run(s.spend)) !== 1) return 'already_spent';
    if (this.killAfterSpend) process.kill(process.pid, 'SIGKILL');
    if ((await run(s.complete)) !== 1) return 'challenge_closed';
    await run(s.earn);
    return 'committed';
  }

  private statement(db: Database, sql: string): Statement {
    let cache = this.prepared.get(db);
    if (!cache) this.prepared.set(db, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  }

  /** PostgreSQL numbers its placeholders. */
  private text(sql: string): string {
    if (this.dataSource.options.type !== 'postgres') return sql;
    let numbered = this.numbered.get(sql);
    if (!numbered) {
      let n = 0;
      this.numbered.set(sql, (numbered = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return numbered;
  }
}
