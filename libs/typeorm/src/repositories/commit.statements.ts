import type { SessionFactorRecord, VerificationCommit } from '../../../core/src';
import { AUDIT_INSERT, auditRowParams } from '../audit-row';
import type { Sql, SqlRunner } from '../sql-runner';
import { assuranceColumn } from '../typeorm-record.mappers';
import { COMPLETE_CHALLENGE, spendStatements } from './spend.statements';

const GRANT_COLUMNS = 'id, user_id, session_ref, scope, factor, event_id, created_at, expires_at, used_at, assurance';
export const GRANT_INSERT = `INSERT INTO mfa_grants (${GRANT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`;
export const GRANT_INSERT_FROM = (source: string) =>
  `INSERT INTO mfa_grants (${GRANT_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(NULL AS BIGINT), ? FROM ${source}`;

/** Tables whose rows belong to one session and follow it to a renewed id. */
export const SESSION_STATE_TABLES = ['mfa_session_factors', 'mfa_grants', 'mfa_challenges'] as const;

/** A session's move to a renewed id: the new id's leftovers go (nothing may collide with (session_ref, factor)), the old id's rows follow. */
export function sessionMoveStatements(userId: string, fromRef: string, toRef: string): Sql[] {
  return [
    ['DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ?', [toRef, userId]],
    ...SESSION_STATE_TABLES.map((table): Sql => [
      `UPDATE ${table} SET session_ref = ? WHERE session_ref = ? AND user_id = ?`,
      [toRef, fromRef, userId],
    ]),
  ];
}

/** A verification's statements, in the order one transaction runs them. */
export interface CommitStatements {
  /** One or more (a passkey spends its challenge and advances its counter); each must change one row. */
  spend: Sql[];
  /**
   * The move to a renewed id runs after the spend (a refused spend, the common race, locks
   * nothing more) and before the completion: it locks every challenge of the session in one
   * statement, tables in one order, so two verifications of one session queue instead of each
   * holding its own challenge while waiting for the other's (a deadlock).
   */
  move: Sql[];
  /** Must change one row. */
  complete: Sql;
  /** The earned record, then the audit rows; the earned upsert overwrites the moved row of its factor. */
  rest: Sql[];
}

/** What was earned, as one insert (a grant) or upsert (a session verification). */
export function earnedRow(c: VerificationCommit): { grant: boolean; params: unknown[] } {
  if ('grant' in c.earned) {
    const g = c.earned.grant;
    const params = [g.id, g.userId, g.sessionRef, g.scope, g.factor, g.eventId, g.createdAt, g.expiresAt];
    return { grant: true, params: [...params, assuranceColumn(g.assurance)] };
  }
  return { grant: false, params: sessionFactorParams(c.earned.sessionFactor) };
}

/** The session-factor upsert's values, in its column order. */
export function sessionFactorParams(r: SessionFactorRecord): unknown[] {
  const baseline = r.baseline ? JSON.stringify(r.baseline) : null;
  return [r.sessionRef, r.factor, r.userId, r.verifiedAt, r.eventId, baseline, assuranceColumn(r.assurance)];
}

/** The transaction's statements (a refused spend rolls all of them back, the move included). */
export function commitStatements(sql: SqlRunner, c: VerificationCommit): CommitStatements {
  const earned = earnedRow(c);
  const rest: Sql[] = [[earned.grant ? GRANT_INSERT : sql.sessionFactorUpsert, earned.params]];
  for (const event of c.audit ?? []) rest.push([AUDIT_INSERT, auditRowParams(event)]);
  return {
    move: c.renewal ? sessionMoveStatements(c.userId, c.renewal.fromRef, c.renewal.toRef) : [],
    spend: spendStatements(c.userId, c.spend, c.now),
    complete: [COMPLETE_CHALLENGE, [c.now, c.challengeId]],
    rest,
  };
}
