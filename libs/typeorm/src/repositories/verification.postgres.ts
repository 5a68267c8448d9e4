import type { VerificationCommit } from '../../../core/src';
import { auditInsertFrom, auditRowParams } from '../audit-row';
import type { Sql } from '../sql-runner';
import { earnedRow, GRANT_INSERT_FROM } from './commit.statements';
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
export function fusedVerification(c: VerificationCommit, sessionFactorUpsert: string): Sql {
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
  const earnedSql = earned.grant
    ? GRANT_INSERT_FROM('done')
    : sessionFactorUpsert.replace(/ VALUES \([?, ]+\)/, ` SELECT ?, ?, ?, CAST(? AS BIGINT), ?, ?, ? FROM done`);
  add('earned', earnedSql, earned.params);
  if (c.renewal) {
    const { fromRef } = c.renewal;
    const ifDone = 'AND EXISTS (SELECT 1 FROM done)';
    const factor = 'sessionFactor' in c.earned ? c.earned.sessionFactor.factor : null;
    // A session factor of the earned kind is re-earned under the new id; every other row moves.
    const otherFactors = factor ? 'AND factor <> ?' : '';
    const factorParam = factor ? [factor] : [];
    add('stale', `DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ? ${otherFactors} ${ifDone}`, [
      toRef,
      c.userId,
      ...factorParam,
    ]);
    if (factor)
      add(
        'superseded',
        `DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ? AND factor = ? ${ifDone}`,
        [fromRef, c.userId, factor],
      );
    add(
      'moved_factors',
      `UPDATE mfa_session_factors SET session_ref = ? WHERE session_ref = ? AND user_id = ? ${otherFactors} ${ifDone}`,
      [toRef, fromRef, c.userId, ...factorParam],
    );
    add('moved_grants', `UPDATE mfa_grants SET session_ref = ? WHERE session_ref = ? AND user_id = ? ${ifDone}`, [
      toRef,
      fromRef,
      c.userId,
    ]);
    add(
      'moved_challenges',
      `UPDATE mfa_challenges SET session_ref = ? WHERE session_ref = ? AND user_id = ? AND id <> ? ${ifDone}`,
      [toRef, fromRef, c.userId, c.challengeId],
    );
  }
  (c.audit ?? []).forEach((event, i) => add(`audit${i}`, auditInsertFrom('done'), auditRowParams(event)));
  const spentRows = spends.map((_, i) => `(SELECT count(*) FROM s${i})`).join(' + ');
  const sql =
    `WITH ${parts.join(', ')} ` +
    `SELECT CAST(${spentRows} AS INTEGER) AS spent, ` +
    `CASE WHEN ${spentRows} = 0 THEN 0 ELSE 1 / CAST((SELECT count(*) FROM done) * (${spentRows} = ${spends.length})::int AS INTEGER) END AS completed`;
  return [sql, params];
}

/** The final SELECT's deliberate division by zero: a partial outcome, rolled back. */
export const isPartialVerification = (err: unknown): boolean => pgCode(err) === '22012';

/** A renewed id that already held rows colliding with the moved ones: rolled back as well. */
export const isMoveCollision = (err: unknown): boolean => pgCode(err) === '23505';

function pgCode(err: unknown): unknown {
  return ((err as { driverError?: { code?: unknown } })?.driverError ?? (err as { code?: unknown }))?.code;
}
