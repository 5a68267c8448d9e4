// Style: fixed, parameterised SQL through the SqlRunner. The read of a user's exemptions in
// force runs on a guarded request (only when a layer an exemption could lift would refuse).
import type { ExemptionRecord, ExemptionStore } from '../../../core/src/ports/store/exemption.store';
import type { SqlRunner } from '../sql-runner';

const COLUMNS =
  'id, user_id, scope, rule_id, rule_fingerprint, reason, granted_by, created_at, expires_at, revoked_at, revoked_by';
const INSERT = `INSERT INTO mfa_exemptions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const FIND = `SELECT ${COLUMNS} FROM mfa_exemptions WHERE user_id = ? AND id = ?`;
const LIST = `SELECT ${COLUMNS} FROM mfa_exemptions WHERE user_id = ? ORDER BY created_at DESC, id LIMIT ?`;
const ACTIVE = `SELECT ${COLUMNS} FROM mfa_exemptions WHERE user_id = ? AND expires_at > ? AND revoked_at IS NULL`;
const activeOf = (marks: string) =>
  `SELECT ${COLUMNS} FROM mfa_exemptions WHERE user_id IN (${marks}) AND expires_at > ? AND revoked_at IS NULL`;
// One conditional write: of two racing revocations exactly one changes the row.
const REVOKE =
  'UPDATE mfa_exemptions SET revoked_at = ?, revoked_by = ? WHERE user_id = ? AND id = ? AND revoked_at IS NULL AND expires_at > ?';
interface Row {
  id: string;
  user_id: string;
  scope: string;
  rule_id: string | null;
  rule_fingerprint: string | null;
  reason: string;
  granted_by: string;
  created_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  revoked_by: string | null;
}

const toRecord = (r: Row): ExemptionRecord => ({
  id: r.id,
  userId: r.user_id,
  scope: r.scope === 'rule' ? 'rule' : 'enrollment',
  ruleId: r.rule_id,
  ruleFingerprint: r.rule_fingerprint,
  reason: r.reason,
  grantedBy: r.granted_by,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
  revokedBy: r.revoked_by,
});

export class ExemptionRepository implements ExemptionStore {
  constructor(private readonly sql: SqlRunner) {}

  async createExemption(r: ExemptionRecord): Promise<void> {
    await this.sql.write(INSERT, [
      r.id,
      r.userId,
      r.scope,
      r.ruleId,
      r.ruleFingerprint,
      r.reason,
      r.grantedBy,
      r.createdAt,
      r.expiresAt,
      r.revokedAt,
      r.revokedBy,
    ]);
  }

  async findExemption(userId: string, id: string): Promise<ExemptionRecord | null> {
    const [row] = await this.sql.select<Row>(FIND, [userId, id]);
    return row ? toRecord(row) : null;
  }

  async listExemptions(userId: string, limit: number): Promise<ExemptionRecord[]> {
    return (await this.sql.select<Row>(LIST, [userId, limit])).map(toRecord);
  }

  async listActiveExemptions(userId: string, now: number): Promise<ExemptionRecord[]> {
    return (await this.sql.select<Row>(ACTIVE, [userId, now])).map(toRecord);
  }

  /** One `IN (…)` read on the user-id index for a report's page of users. */
  async listActiveExemptionsOf(userIds: readonly string[], now: number): Promise<ExemptionRecord[]> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return [];
    const rows = await this.sql.select<Row>(activeOf(ids.map(() => '?').join(', ')), [...ids, now]);
    return rows.map(toRecord);
  }

  async revokeExemption(userId: string, id: string, now: number, revokedBy: string): Promise<boolean> {
    return (await this.sql.write(REVOKE, [now, revokedBy, userId, id, now])) === 1;
  }
}
