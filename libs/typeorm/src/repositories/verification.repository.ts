// Style: raw SQL only, inside one transaction per verification: this is the hottest write
// and the one whose atomicity is a security property (spend-record-atomicity).
import type { VerificationCommit, VerificationOutcome, VerificationStore } from '../../../core/src';
import type { Sql, SqlRunner } from '../sql-runner';
import { assuranceColumn } from '../typeorm-record.mappers';
import { COMPLETE_CHALLENGE, spendStatements } from './spend.statements';

const GRANT_INSERT =
  'INSERT INTO mfa_grants (id, user_id, session_ref, scope, factor, event_id, created_at, expires_at, used_at, assurance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)';

/** `spend` holds one or more statements (a passkey spends its challenge and advances its counter). */
type Statements = { spend: Sql[]; complete: Sql; earn: Sql };

/** The part of better-sqlite3 used here, which stays an optional peer dependency. */
interface Statement {
  run(...params: unknown[]): { changes: number };
}
interface Database {
  /** better-sqlite3: true while a transaction is open on this connection. */
  readonly inTransaction: boolean;
  prepare(sql: string): Statement;
  transaction(run: () => void): { immediate(): void };
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
export class VerificationRepository implements VerificationStore {
  /**
   * TEST ONLY. `MFA_TEST_FAILPOINT=after-spend` SIGKILLs the process right after the spend
   * statements, inside the transaction, so a test can prove a crash there costs no code.
   * Read once here; unset (production), it is a constant false.
   */
  private readonly killAfterSpend = process.env.MFA_TEST_FAILPOINT === 'after-spend';
  private readonly prepared = new WeakMap<Database, Map<string, Statement>>();

  constructor(private readonly sql: SqlRunner) {}

  commitVerification(c: VerificationCommit): Promise<VerificationOutcome> {
    const statements = this.statementsOf(c);
    return this.sql.dataSource.options.type === 'better-sqlite3'
      ? this.commitOnSqlite(statements)
      : this.commitOnPool(statements);
  }

  private statementsOf(c: VerificationCommit): Statements {
    let earn: Sql;
    if ('grant' in c.earned) {
      const g = c.earned.grant;
      earn = [
        GRANT_INSERT,
        [
          g.id,
          g.userId,
          g.sessionRef,
          g.scope,
          g.factor,
          g.eventId,
          g.createdAt,
          g.expiresAt,
          assuranceColumn(g.assurance),
        ],
      ];
    } else {
      const r = c.earned.sessionFactor;
      earn = [
        this.sql.sessionFactorUpsert,
        [
          r.sessionRef,
          r.factor,
          r.userId,
          r.verifiedAt,
          r.eventId,
          r.baseline ? JSON.stringify(r.baseline) : null,
          assuranceColumn(r.assurance),
        ],
      ];
    }
    return {
      spend: spendStatements(c.userId, c.spend, c.now),
      complete: [COMPLETE_CHALLENGE, [c.now, c.challengeId]],
      earn,
    };
  }

  private async commitOnSqlite(s: Statements): Promise<VerificationOutcome> {
    const { dataSource } = this.sql;
    const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    // The one connection may sit inside another request's TypeORM transaction, between its
    // awaits; ours would become its savepoint and roll back with it. Wait it out, then run in
    // the same tick, so nothing can open one in between. Fails closed if it never ends.
    for (let turns = 0; db.inTransaction; turns++) {
      if (turns > 100_000) throw new Error('the SQLite connection stayed inside another transaction');
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Logged like TypeORM's own statements, so statement counts stay honest.
    const run = ([sql, params]: Sql) => {
      dataSource.logger.logQuery(sql, params);
      return this.statement(db, sql).run(...params).changes;
    };
    dataSource.logger.logQuery('BEGIN IMMEDIATE');
    try {
      db.transaction(() => {
        for (const spend of s.spend) if (run(spend) !== 1) throw new Refused('already_spent');
        if (this.killAfterSpend) process.kill(process.pid, 'SIGKILL');
        if (run(s.complete) !== 1) throw new Refused('challenge_closed');
        run(s.earn);
      }).immediate();
    } catch (err) {
      dataSource.logger.logQuery('ROLLBACK');
      if (err instanceof Refused) return err.outcome;
      throw err;
    }
    dataSource.logger.logQuery('COMMIT');
    return 'committed';
  }

  private async commitOnPool(s: Statements): Promise<VerificationOutcome> {
    const runner = this.sql.dataSource.createQueryRunner();
    const run = async ([sql, params]: Sql) => (await runner.query(this.sql.text(sql), params, true)).affected ?? 0;
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

  private async apply(run: (sql: Sql) => Promise<number>, s: Statements): Promise<VerificationOutcome> {
    for (const spend of s.spend) if ((await run(spend)) !== 1) return 'already_spent';
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
}
