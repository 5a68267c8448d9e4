import type { DataSource } from 'typeorm';
import type { VerificationOutcome } from '../../../core/src';
import type { Sql, SqlRunner } from '../sql-runner';
import type { CommitStatements } from './commit.statements';

/**
 * A verification as ONE MariaDB round trip: an anonymous compound statement (`BEGIN NOT
 * ATOMIC … END`, MariaDB 10.1.1+) that runs the very transaction the pooled path runs,
 * statement by statement, on the server:
 *
 * - READ COMMITTED, as the pooled path (REPEATABLE READ's gap locks deadlock concurrent moves);
 * - each spend is its usual conditional UPDATE, and `ROW_COUNT()` after it decides like the
 *   pooled path's affected-row count (the same client flags govern both): any count other
 *   than 1 rolls everything back and answers `already_spent`;
 * - then the move, then the completion, whose count other than 1 rolls back and answers
 *   `challenge_closed`; then what was earned and the audit rows, and COMMIT;
 * - any error (a deadlock, a lost lock wait) rolls back and is re-raised as it came, so a
 *   deadlock (1213) still gets its one retry.
 *
 * Unlike PostgreSQL's single statement this is exact: every statement sees the ones before,
 * so there is no partial outcome to settle afterwards. Parameters stay `?` placeholders,
 * which mysql2 fills in with its own escaping on the client (TypeORM sends a text query, not
 * a prepared one), exactly as it does for the pooled path's statements; no `multipleStatements`.
 *
 * MySQL has no anonymous compound statements (only stored programs), so on MySQL the
 * verification keeps the pooled transaction, one round trip per statement.
 */
export function compoundVerification(s: CommitStatements): Sql {
  const lines: string[] = [];
  const params: unknown[] = [];
  const run = ([sql, values]: Sql, refused?: VerificationOutcome) => {
    lines.push(`${sql};`);
    params.push(...values);
    if (refused) lines.push(`IF ROW_COUNT() <> 1 THEN SET mfa_outcome = '${refused}'; LEAVE verification; END IF;`);
  };
  for (const spend of s.spend) run(spend, 'already_spent');
  for (const statement of s.move) run(statement);
  run(s.complete, 'challenge_closed');
  for (const statement of s.rest) run(statement);
  const sql = [
    'BEGIN NOT ATOMIC',
    // A local variable shadows a column of its name in the statements: none is called this.
    "DECLARE mfa_outcome VARCHAR(16) DEFAULT 'committed';",
    'DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN ROLLBACK; RESIGNAL; END;',
    'SET TRANSACTION ISOLATION LEVEL READ COMMITTED;',
    'START TRANSACTION;',
    'verification: BEGIN',
    ...lines,
    'END verification;',
    "IF mfa_outcome = 'committed' THEN COMMIT; ELSE ROLLBACK; END IF;",
    'SELECT mfa_outcome AS outcome;',
    'END',
  ].join('\n');
  return [sql, params];
}

const OUTCOMES: readonly VerificationOutcome[] = ['committed', 'already_spent', 'challenge_closed'];

/**
 * The outcome the block SELECTs last. mysql2 answers a compound statement with its result sets
 * and a closing OK packet (`[[{ outcome }], { affectedRows, … }]`); anything else fails closed.
 */
export function compoundOutcome(raw: unknown): VerificationOutcome {
  const rows = (Array.isArray(raw) ? raw : [raw]).flat() as Array<{ outcome?: unknown } | null>;
  const outcome = rows.find((row) => typeof row?.outcome === 'string')?.outcome;
  if (!OUTCOMES.includes(outcome as VerificationOutcome))
    throw new Error('nestjs-mfa: the MariaDB verification block answered no outcome');
  return outcome as VerificationOutcome;
}

const servers = new WeakMap<DataSource, Promise<boolean>>();

/**
 * Whether the server runs anonymous compound statements: MariaDB, asked once per DataSource
 * (TypeORM's own version check drops the "-MariaDB" suffix, and its `type` says which client
 * options were chosen, not which server answers: `mysql` against MariaDB is common).
 * A failed ask is not cached.
 */
export function isMariaDb(sql: SqlRunner): Promise<boolean> {
  const { dataSource } = sql;
  let known = servers.get(dataSource);
  if (!known) {
    known = sql
      .select<{ version: string }>('SELECT VERSION() AS version', [])
      .then(([row]) => /mariadb/i.test(String(row?.version)));
    known.catch(() => servers.delete(dataSource));
    servers.set(dataSource, known);
  }
  return known;
}
