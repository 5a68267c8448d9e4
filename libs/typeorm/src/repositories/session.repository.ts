// Style: raw SQL throughout. The read is the hot path (every guarded request), and moving
// or voiding a session spans three tables in one transaction, which the repository API
// cannot say in one statement per table. Only the bulk delete of verifications uses it.
import type { FactorType, SessionFactorRecord, SessionStore } from '../../../core/src';
import { MfaSessionFactorEntity } from '../entities/mfa-session-factor.entity';
import type { SqlRunner } from '../sql-runner';
import { assuranceFrom } from '../typeorm-record.mappers';
import { sessionFactorParams, sessionMoveStatements } from './commit.statements';

const SESSION_FACTORS_SQL =
  'SELECT factor, verified_at, event_id, baseline, assurance FROM mfa_session_factors WHERE session_ref = ? AND user_id = ?';
const SESSION_FACTORS_SQL_PG =
  'SELECT factor, verified_at, event_id, baseline, assurance FROM mfa_session_factors WHERE session_ref = $1 AND user_id = $2';

export class SessionRepository implements SessionStore {
  constructor(private readonly sql: SqlRunner) {}

  /** Plain SQL skips the repository's entity mapping, which costs five times the query itself on SQLite. */
  async listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]> {
    const sql = this.sql.postgres ? SESSION_FACTORS_SQL_PG : SESSION_FACTORS_SQL;
    const rows: Array<{
      factor: string;
      verified_at: string | number;
      event_id: string | null;
      baseline: string | null;
      assurance: string | null;
    }> = await this.sql.dataSource.query(sql, [sessionRef, userId]);
    return rows.map((r) => ({
      sessionRef,
      userId,
      factor: r.factor as SessionFactorRecord['factor'],
      verifiedAt: Number(r.verified_at),
      eventId: r.event_id ?? `${sessionRef}:${r.factor}`,
      baseline: r.baseline ? JSON.parse(r.baseline) : undefined,
      ...assuranceFrom(r.assurance),
    }));
  }

  /** One upsert: the verification of this factor in this session, newest wins. */
  async recordSessionFactor(r: SessionFactorRecord): Promise<void> {
    await this.sql.write(this.sql.sessionFactorUpsert, sessionFactorParams(r));
  }

  async deleteSessionFactors(userId: string, factor?: FactorType): Promise<void> {
    await this.sql.repository(MfaSessionFactorEntity).delete(factor ? { userId, factor } : { userId });
  }

  async moveSession(userId: string, fromRef: string, toRef: string): Promise<void> {
    if (fromRef === toRef) return;
    await this.sql.dataSource.transaction(async (em) => {
      for (const [text, params] of sessionMoveStatements(userId, fromRef, toRef))
        await em.query(this.sql.text(text), params);
    });
  }

  async voidSessions(userId: string, which: { only: string } | { except: string }): Promise<number> {
    const [op, ref] = 'only' in which ? ['=', which.only] : ['<>', which.except];
    const where = `user_id = ? AND session_ref ${op} ?`;
    const live = [
      `mfa_session_factors WHERE ${where}`,
      `mfa_grants WHERE ${where} AND used_at IS NULL`,
      `mfa_challenges WHERE ${where} AND status = 'pending'`,
    ];
    return this.sql.dataSource.transaction(async (em) => {
      const union = live.map((from) => `SELECT session_ref FROM ${from}`).join(' UNION ');
      const [row] = await em.query(
        this.sql.text(`SELECT COUNT(*) AS n FROM (${union}) s`),
        live.flatMap(() => [userId, ref]),
      );
      for (const from of live) await em.query(this.sql.text(`DELETE FROM ${from}`), [userId, ref]);
      return Number(row?.n ?? 0);
    });
  }

  async countSessions(userId: string, exceptRef: string, now: number): Promise<number> {
    const sql =
      'SELECT COUNT(*) AS n FROM (' +
      'SELECT session_ref FROM mfa_session_factors WHERE user_id = ? AND session_ref <> ? UNION ' +
      'SELECT session_ref FROM mfa_grants WHERE user_id = ? AND session_ref <> ? AND used_at IS NULL AND expires_at > ? UNION ' +
      "SELECT session_ref FROM mfa_challenges WHERE user_id = ? AND session_ref <> ? AND status = 'pending' AND expires_at > ?) s";
    const [row] = await this.sql.select<{ n: string | number }>(sql, [
      userId,
      exceptRef,
      userId,
      exceptRef,
      now,
      userId,
      exceptRef,
      now,
    ]);
    return Number(row?.n ?? 0);
  }
}
