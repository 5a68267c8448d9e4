// Style: raw SQL, one fixed text per page size band, every read bounded by the caller's page:
// the user-id walk is a keyset (`user_id > ?` … ORDER BY user_id LIMIT ?) over the three tables
// that name users, each leg on its user-id index (mfa_user_states' primary key,
// idx_mfa_enrollments_user, idx_mfa_backup_codes_user), and a page's facts are three `IN (…)`
// reads on the same indexes.
import type { EnrollmentType } from '../../../core/src';
import type { ComplianceFacts, ComplianceStore } from '../../../core/src/ports/store/compliance.store';
import type { SqlRunner } from '../sql-runner';

const KNOWN_USERS =
  'SELECT user_id FROM (' +
  'SELECT user_id FROM (SELECT user_id FROM mfa_user_states WHERE user_id > ? ORDER BY user_id LIMIT ?) s ' +
  'UNION SELECT user_id FROM (SELECT DISTINCT user_id FROM mfa_enrollments WHERE user_id > ? ORDER BY user_id LIMIT ?) e ' +
  'UNION SELECT user_id FROM (SELECT DISTINCT user_id FROM mfa_backup_codes WHERE user_id > ? ORDER BY user_id LIMIT ?) b' +
  ') u ORDER BY user_id LIMIT ?';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class ComplianceQueries implements ComplianceStore {
  constructor(private readonly sql: SqlRunner) {}

  async listComplianceFacts(afterUserId: string | null, limit: number): Promise<ComplianceFacts[]> {
    // '' sorts before every id the store accepts (ids are never empty), so one text serves the first page too.
    const after = afterUserId ?? '';
    const rows = await this.sql.select<{ user_id: string }>(KNOWN_USERS, [
      after,
      limit,
      after,
      limit,
      after,
      limit,
      limit,
    ]);
    return this.findComplianceFacts(rows.map((r) => r.user_id));
  }

  async findComplianceFacts(userIds: readonly string[]): Promise<ComplianceFacts[]> {
    if (!userIds.length) return [];
    const ids = [...new Set(userIds)];
    const marks = ids.map(() => '?').join(', ');
    const [factors, codes, states] = await Promise.all([
      this.sql.select<{ user_id: string; type: string }>(
        `SELECT DISTINCT user_id, type FROM mfa_enrollments WHERE user_id IN (${marks}) AND status = 'active'`,
        ids,
      ),
      this.sql.select<{ user_id: string; unused: unknown }>(
        `SELECT user_id, SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END) AS unused FROM mfa_backup_codes WHERE user_id IN (${marks}) GROUP BY user_id`,
        ids,
      ),
      this.sql.select<{ user_id: string; enrollment_required_since: unknown; reenrollment_forced_at: unknown }>(
        `SELECT user_id, enrollment_required_since, reenrollment_forced_at FROM mfa_user_states WHERE user_id IN (${marks})`,
        ids,
      ),
    ]);
    const facts = new Map<string, ComplianceFacts>(
      ids.map((userId) => [
        userId,
        { userId, activeFactors: [], backupCodesLeft: null, enrollmentRequiredSince: null, reenrollmentForcedAt: null },
      ]),
    );
    for (const f of factors) facts.get(f.user_id)?.activeFactors.push(f.type as EnrollmentType);
    for (const c of codes) facts.get(c.user_id)!.backupCodesLeft = num(c.unused) ?? 0;
    for (const s of states) {
      const row = facts.get(s.user_id)!;
      row.enrollmentRequiredSince = num(s.enrollment_required_since);
      row.reenrollmentForcedAt = num(s.reenrollment_forced_at);
    }
    return [...facts.values()];
  }
}
