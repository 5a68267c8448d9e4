// Style: raw SQL only, inside one transaction per verification: this is the hottest write
// and the one whose atomicity is a security property (spend-record-atomicity).
import type { VerificationCommit, VerificationOutcome, VerificationStore } from '../../../core/src';
import type { Sql, SqlRunner } from '../sql-runner';
import { commitStatements, CommitStatements } from './commit.statements';
import { compoundOutcome, compoundVerification, isMariaDb } from './verification.mariadb';
import { fusedVerification, isDeadlock, isMoveCollision, isPartialVerification } from './verification.postgres';

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
 * connection, so no other request's statement can land inside it; on PostgreSQL it is one
 * statement and on MariaDB one compound statement (each one round trip); elsewhere it holds
 * one pooled connection (QueryRunner) from BEGIN to COMMIT.
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
    const type = this.sql.dataSource.options.type;
    if (type === 'better-sqlite3') return this.commitOnSqlite(commitStatements(this.sql, c));
    if (type === 'postgres' && !this.killAfterSpend) return this.commitFused(c);
    if (this.sql.mysql && !this.killAfterSpend) return this.commitOnMysql(commitStatements(this.sql, c));
    return this.commitOnPool(commitStatements(this.sql, c));
  }

  /**
   * MariaDB: the transaction as one compound statement, one round trip. MySQL has no anonymous
   * compound statements, so it keeps the pooled transaction, one round trip per statement.
   */
  private async commitOnMysql(s: CommitStatements, retry = true): Promise<VerificationOutcome> {
    if (!(await isMariaDb(this.sql))) return this.commitOnPool(s);
    const [text, params] = compoundVerification(s);
    const runner = this.sql.dataSource.createQueryRunner();
    try {
      return compoundOutcome(await runner.query(text, params));
    } catch (err) {
      // The block's handler has rolled back; should anything have ended it otherwise, this
      // connection must not return to the pool inside a half-done transaction (the next
      // START TRANSACTION on it would commit that). Costs a round trip on failures only.
      await runner.query('ROLLBACK').catch(() => undefined);
      // A deadlock wrote nothing: one more try, as on the pool.
      if (retry && isDeadlock(err)) return this.commitOnMysql(s, false);
      throw err;
    } finally {
      await runner.release();
    }
  }

  /**
   * PostgreSQL: the whole commit as one statement. A race that leaves it partial aborts it
   * (nothing written) and is settled by the transaction, statement by statement, which
   * answers exactly; races are rare, so the common case stays one round trip.
   */
  private async commitFused(c: VerificationCommit): Promise<VerificationOutcome> {
    const [text, params] = fusedVerification(c);
    try {
      const [row] = await this.sql.select<{ completed: number }>(text, params);
      return row.completed === 1 ? 'committed' : 'already_spent';
    } catch (err) {
      if (!isPartialVerification(err) && !isMoveCollision(err) && !isDeadlock(err)) throw err;
      return this.commitOnPool(commitStatements(this.sql, c));
    }
  }

  private async commitOnSqlite(s: CommitStatements): Promise<VerificationOutcome> {
    const { dataSource } = this.sql;
    const db = (dataSource.driver as unknown as { databaseConnection: Database }).databaseConnection;
    // The one connection may sit inside another request's TypeORM transaction, between its
    // awaits; ours would become its savepoint and roll back with it. Wait it out, then run in
    // the same tick, so nothing can open one in between. Fails closed if it never ends.
    for (let turns = 0; db.inTransaction; turns++) {
      if (turns > 100_000) throw new Error('the SQLite connection stayed inside another transaction');
      await new Promise((resolve) => setImmediate(resolve));
    }
    // One synchronous call into SQLite, no await inside: logged as the one round trip it is,
    // its statements joined, so counts stay honest about both.
    const ran: string[] = ['BEGIN IMMEDIATE'];
    const run = ([sql, params]: Sql) => {
      ran.push(sql);
      return this.statement(db, sql).run(...params).changes;
    };
    let outcome: VerificationOutcome = 'committed';
    let end = 'ROLLBACK';
    try {
      db.transaction(() => {
        for (const spend of s.spend) if (run(spend) !== 1) throw new Refused('already_spent');
        if (this.killAfterSpend) process.kill(process.pid, 'SIGKILL');
        for (const statement of s.move) run(statement);
        if (run(s.complete) !== 1) throw new Refused('challenge_closed');
        for (const statement of s.rest) run(statement);
      }).immediate();
      end = 'COMMIT';
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      outcome = err.outcome;
    } finally {
      dataSource.logger.logQuery([...ran, end].join('; '));
    }
    return outcome;
  }

  /** A deadlock wrote nothing (its transaction was rolled back): one more try, after the other commit. */
  private async commitOnPool(s: CommitStatements, retry = true): Promise<VerificationOutcome> {
    try {
      return await this.commitOnce(s);
    } catch (err) {
      if (retry && isDeadlock(err)) return this.commitOnPool(s, false);
      throw err;
    }
  }

  private async commitOnce(s: CommitStatements): Promise<VerificationOutcome> {
    const runner = this.sql.dataSource.createQueryRunner();
    const run = async ([sql, params]: Sql) => (await runner.query(this.sql.text(sql), params, true)).affected ?? 0;
    try {
      // MySQL/MariaDB default to REPEATABLE READ, whose gap locks make concurrent moves and
      // inserts of fresh session refs deadlock; every write here is a conditional UPDATE or an
      // upsert that needs no more than READ COMMITTED (PostgreSQL's default).
      await runner.startTransaction(this.sql.mysql ? 'READ COMMITTED' : undefined);
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

  private async apply(run: (sql: Sql) => Promise<number>, s: CommitStatements): Promise<VerificationOutcome> {
    for (const spend of s.spend) if ((await run(spend)) !== 1) return 'already_spent';
    if (this.killAfterSpend) process.kill(process.pid, 'SIGKILL');
    for (const statement of s.move) await run(statement);
    if ((await run(s.complete)) !== 1) return 'challenge_closed';
    for (const statement of s.rest) await run(statement);
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
