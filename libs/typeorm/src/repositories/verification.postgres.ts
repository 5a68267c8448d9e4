import type { VerificationCommit } from '../../../core/src';
import { auditInsertFrom, auditRowParams } from '../audit-row';
import type { Sql } from '../sql-runner';
import { earnedRow, GRANT_INSERT_FROM, SESSION_STATE_TABLES } from './commit.statements';
import { spendStatements } from './spend.statements';

/**
 * A verification as ONE PostgreSQL statement (data-modifying CTEs): one round trip where a
 * transaction takes five or more. Every sub-statement sees the same snapshot and none sees
 * another's writes, so the conditions are chained through RETURNING instead:
 *
 * - each spend is its usual conditional UPDATE;
 * - the completion runs only if every spend changed its row (it reads their RETURNING);
 * - what was earned, the move to a renewed id and the audit rows run only if the completion did;
 * - a partial outcome (some spend without the completion: a race on the same challenge)
 *   divides by zero in the final SELECT, which aborts the whole statement: nothing is
 *   written, and the caller settles it with the exact transactional path.
 *
 * No row is touched twice (PostgreSQL leaves that undefined within one statement): the
 * completion also renews the challenge's own session_ref, the move skips it, and the moved
 * session factors skip the earned factor, whose old row is deleted and re-earned.
 */
const SESSION_FACTOR_UPSERT_FROM_DONE =
  'INSERT INTO mfa_session_factors (session_ref, factor, user_id, verified_at, event_id, baseline, assurance) ' +
  'SELECT ?, ?, ?, CAST(? AS BIGINT), ?, ?, ? FROM done ' +
  'ON CONFLICT (session_ref, factor) DO UPDATE SET user_id = excluded.user_id, verified_at = excluded.verified_at, ' +
  'event_id = excluded.event_id, baseline = excluded.baseline, assurance = excluded.assurance';

export function fusedVerification(c: VerificationCommit): Sql {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (name: string, sql: string, values: unknown[]) => {
    parts.push(`${name} AS (${sql})`);
    params.push(...values);
  };
  const spends = spendStatements(c.userId, c.spend, c.now);
  spends.forEach(([sql, values], i) => add(`s${i}`, `${sql} RETURNING 1`, values));
  const allSpent = spends.map((_, i) => `EXISTS (SELECT 1 FROM s${i})`).join(' AND ');
  const toRef = c.renewal?.toRef;
  add(
    'done',
    "UPDATE mfa_challenges SET status = 'completed', completed_at = ?, session_ref = COALESCE(?, session_ref) " +
      `WHERE id = ? AND status = 'pending' AND ${allSpent} RETURNING 1`,
    [c.now, toRef ?? null, c.challengeId],
  );
  const earned = earnedRow(c);
  add('earned', earned.grant ? GRANT_INSERT_FROM('done') : SESSION_FACTOR_UPSERT_FROM_DONE, earned.params);
  if (c.renewal) {
    const { fromRef } = c.renewal;
    const ifDone = 'AND EXISTS (SELECT 1 FROM done)';
    const factor = 'sessionFactor' in c.earned ? c.earned.sessionFactor.factor : null;
    if (factor)
      add(
        'superseded',
        `DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ? AND factor = ? ${ifDone}`,
        [fromRef, c.userId, factor],
      );
    // What the new id held before goes; a collision between those rows and the moved ones is a
    // 23505, settled by the transaction (a fresh id holds nothing, so it does not happen).
    add(
      'stale',
      `DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ? ${factor ? 'AND factor <> ?' : ''} ${ifDone}`,
      [toRef, c.userId, ...(factor ? [factor] : [])],
    );
    const skipped = { mfa_session_factors: factor, mfa_grants: null, mfa_challenges: c.challengeId };
    SESSION_STATE_TABLES.forEach((table, i) => {
      const skip = skipped[table];
      const column = table === 'mfa_challenges' ? 'id' : 'factor';
      add(
        `moved${i}`,
        `UPDATE ${table} SET session_ref = ? WHERE session_ref = ? AND user_id = ? ${skip ? `AND ${column} <> ?` : ''} ${ifDone}`,
        [toRef, fromRef, c.userId, ...(skip ? [skip] : [])],
      );
    });
  }
  (c.audit ?? []).forEach((event, i) => add(`audit${i}`, auditInsertFrom('done'), auditRowParams(event)));
  const spentRows = spends.map((_, i) => `(SELECT count(*) FROM s${i})`).join(' + ');
  const sql =
    `WITH ${parts.join(', ')} ` +
    `SELECT CASE WHEN ${spentRows} = 0 THEN 0 ELSE 1 / CAST((SELECT count(*) FROM done) * (${spentRows} = ${spends.length})::int AS INTEGER) END AS completed`;
  return [sql, params];
}

/** The final SELECT's deliberate division by zero: a partial outcome, rolled back. */
export const isPartialVerification = (err: unknown): boolean => pgCode(err) === '22012';

/** A renewed id that already held rows colliding with the moved ones: rolled back as well. */
export const isMoveCollision = (err: unknown): boolean => pgCode(err) === '23505';

/** PostgreSQL 40P01, MySQL/MariaDB ER_LOCK_DEADLOCK: rolled back by the server, nothing written. */
export function isDeadlock(err: unknown): boolean {
  const e = ((err as { driverError?: unknown })?.driverError ?? err) as { code?: unknown; errno?: unknown } | null;
  return e?.code === '40P01' || e?.code === 'ER_LOCK_DEADLOCK' || e?.errno === 1213;
}

function pgCode(err: unknown): unknown {
  return ((err as { driverError?: { code?: unknown } })?.driverError ?? (err as { code?: unknown }))?.code;
}
