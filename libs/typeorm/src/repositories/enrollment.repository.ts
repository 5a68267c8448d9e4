// Style: raw SQL for the reads and the TOTP step spend (every verification runs them), and
// for the passkey confirmation, whose answer comes from the driver's unique-violation code;
// the query builder and repository API for the other rare writes (enroll, confirm, rotate, remove).
import { In } from 'typeorm';
import type { EnrollmentRecord, EnrollmentStore } from '../../../core/src';
import type { PasskeyActivation } from '../../../core/src/ports/mfa-store.port';
import { MfaEnrollmentEntity } from '../entities/mfa-enrollment.entity';
import type { SqlRunner } from '../sql-runner';
import { EnrollmentRow, enrollmentFromRow, passkeyColumns } from '../typeorm-record.mappers';
import { spendStatements } from './spend.statements';

export const ENROLLMENT_COLUMNS =
  'id, user_id, type, status, label, sealed_secret, key_id, algorithm, digits, period, masked_target, credential_key, details, last_step, created_at, confirmed_at, last_used_at';

const ACTIVATE_PASSKEY =
  "UPDATE mfa_enrollments SET status = 'active', sealed_secret = ?, key_id = ?, credential_key = ?, details = ?, last_step = ?, confirmed_at = ?, last_used_at = ? WHERE id = ? AND user_id = ? AND type = 'webauthn' AND status = 'pending'";

/** better-sqlite3, PostgreSQL, MySQL/MariaDB; TypeORM wraps the driver's error in a QueryFailedError. */
function isUniqueViolation(err: unknown): boolean {
  const e = ((err as { driverError?: unknown })?.driverError ?? err) as { code?: unknown; errno?: unknown } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062
  );
}

export class EnrollmentRepository implements EnrollmentStore {
  constructor(private readonly sql: SqlRunner) {}

  async createEnrollment(r: EnrollmentRecord): Promise<void> {
    await this.sql.repository(MfaEnrollmentEntity).insert({
      id: r.id,
      userId: r.userId,
      type: r.type,
      status: r.status,
      label: r.label,
      sealedSecret: r.sealedSecret,
      // SMS and email rows carry no TOTP profile; the columns predate them and stay non-null.
      keyId: r.keyId,
      algorithm: r.profile?.algorithm ?? '',
      digits: r.profile?.digits ?? 0,
      period: r.profile?.period ?? 0,
      maskedTarget: r.maskedTarget,
      ...passkeyColumns(r.type === 'webauthn' ? r.passkey : null),
      lastStep: r.lastStep,
      createdAt: r.createdAt,
      confirmedAt: r.confirmedAt,
      lastUsedAt: r.lastUsedAt,
    });
  }

  async findEnrollment(userId: string, id: string): Promise<EnrollmentRecord | null> {
    const rows = await this.sql.select<EnrollmentRow>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE id = ? AND user_id = ?`,
      [id, userId],
    );
    return rows.length ? enrollmentFromRow(rows[0]) : null;
  }

  async listEnrollments(userId: string): Promise<EnrollmentRecord[]> {
    const rows = await this.sql.select<EnrollmentRow>(
      `SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE user_id = ? ORDER BY created_at, id`,
      [userId],
    );
    return rows.map(enrollmentFromRow);
  }

  async dropPendingEnrollments(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.sql.repository(MfaEnrollmentEntity).delete({ userId, status: 'pending', id: In([...ids]) });
  }

  async setEnrollmentLabel(userId: string, id: string, label: string): Promise<boolean> {
    // MySQL/MariaDB count matched rows here (mysql2 sets FOUND_ROWS), so an unchanged label is still found.
    const sql = "UPDATE mfa_enrollments SET label = ? WHERE id = ? AND user_id = ? AND status = 'active'";
    return (await this.sql.write(sql, [label, id, userId])) === 1;
  }

  async activateEnrollment(userId: string, id: string, step: number | null, now: number): Promise<boolean> {
    const query = this.sql
      .update(MfaEnrollmentEntity)
      .set(
        step === null
          ? { status: 'active', confirmedAt: now, lastUsedAt: now }
          : { status: 'active', lastStep: step, confirmedAt: now, lastUsedAt: now },
      )
      .where('id = :id AND user_id = :userId AND status = :pending', { id, userId, pending: 'pending' })
      // A passkey becomes active only with its credential, through activatePasskey.
      .andWhere("type <> 'webauthn'");
    if (step !== null) query.andWhere('(last_step IS NULL OR last_step < :step)', { step });
    return (await query.execute()).affected === 1;
  }

  async activatePasskey(
    userId: string,
    id: string,
    a: PasskeyActivation,
    now: number,
  ): Promise<'activated' | 'credential_taken' | 'not_pending'> {
    const { credentialKey, details } = passkeyColumns(a.details);
    const params = [a.sealedSecret, a.keyId, credentialKey, details, a.signCount, now, now, id, userId];
    try {
      return (await this.sql.write(ACTIVATE_PASSKEY, params)) === 1 ? 'activated' : 'not_pending';
    } catch (err) {
      // The credential key's index is the only unique one this UPDATE can break.
      if (isUniqueViolation(err)) return 'credential_taken';
      throw err;
    }
  }

  async acceptTotpStep(userId: string, id: string, step: number, now: number): Promise<boolean> {
    const [spend] = spendStatements(userId, { kind: 'totp_step', enrollmentId: id, step }, now);
    return (await this.sql.write(...spend)) === 1;
  }

  async listEnrollmentsNotSealedWith(keyId: string, limit: number): Promise<EnrollmentRecord[]> {
    const rows = await this.sql.select<EnrollmentRow>(
      // A pending passkey has nothing sealed yet: there is nothing to open and re-seal.
      `SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE key_id <> ? AND sealed_secret <> '' ORDER BY id LIMIT ?`,
      [keyId, limit],
    );
    return rows.map(enrollmentFromRow);
  }

  async replaceSealedSecret(id: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean> {
    const result = await this.sql
      .update(MfaEnrollmentEntity)
      .set({ sealedSecret: sealed, keyId })
      .where('id = :id AND sealed_secret = :expectedSealed', { id, expectedSealed })
      .execute();
    return result.affected === 1;
  }

  async deleteEnrollment(userId: string, id: string): Promise<boolean> {
    const result = await this.sql.dataSource
      .createQueryBuilder()
      .delete()
      .from(MfaEnrollmentEntity)
      .where('id = :id AND user_id = :userId', { id, userId })
      .execute();
    return result.affected === 1;
  }
}
