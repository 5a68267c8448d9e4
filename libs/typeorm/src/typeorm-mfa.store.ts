import { DataSource, DataSourceOptions, EntityTarget, In, ObjectLiteral } from 'typeorm';
import { MfaConfigurationError } from '../../core/src';
import type {
  BackupCodeRecord, ChallengeRecord, EnrollmentRecord, FactorType, GrantRecord, OtpCodeRecord, MfaStore, PolicyActivationRecord, PolicyVersionRecord,
  RecoveryTicketRecord, TrustedDeviceRecord, UserMfaState,
  SessionFactorRecord, VerificationCommit, VerificationOutcome,
} from '../../core/src';
import { MfaGrantEntity } from './entities/mfa-grant.entity';
import { MfaPolicyActivationEntity } from './entities/mfa-policy-activation.entity';
import { MfaPolicyVersionEntity } from './entities/mfa-policy-version.entity';
import { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
import { MfaChallengeEntity } from './entities/mfa-challenge.entity';
import { MfaEnrollmentEntity } from './entities/mfa-enrollment.entity';
import { MfaSessionFactorEntity } from './entities/mfa-session-factor.entity';
import { MfaOtpCodeEntity } from './entities/mfa-otp-code.entity';
import { MfaTrustedDeviceEntity } from './entities/mfa-trusted-device.entity';
import { MfaRecoveryTicketEntity } from './entities/mfa-recovery-ticket.entity';
import { MfaUserStateEntity } from './entities/mfa-user-state.entity';
import { MFA_MIGRATIONS_TABLE, mfaEntities, mfaMigrations } from './mfa-typeorm.schema';
import { ChallengeRow, challengeFromRow, EnrollmentRow, enrollmentFromRow } from './typeorm-record.mappers';
import { COMPLETE_CHALLENGE, SESSION_FACTOR_UPSERT, SESSION_FACTOR_UPSERT_MYSQL, spendStatement, TypeOrmVerificationWriter } from './typeorm-verification.writer';
const ENROLLMENT_COLUMNS =
  'id, user_id, type, status, label, sealed_secret, key_id, algorithm, digits, period, masked_target, last_step, created_at, confirmed_at, last_used_at';
const CHALLENGE_COLUMNS = 'id, user_id, session_ref, purpose, requirement, status, created_at, expires_at';
const SESSION_FACTORS_SQL = 'SELECT factor, verified_at, event_id, baseline FROM mfa_session_factors WHERE session_ref = ? AND user_id = ?';
const SESSION_FACTORS_SQL_PG = 'SELECT factor, verified_at, event_id, baseline FROM mfa_session_factors WHERE session_ref = $1 AND user_id = $2';

/** Every table whose rows belong to one session (by `session_ref`). */
const SESSION_STATE_TABLES = ['mfa_session_factors', 'mfa_grants', 'mfa_challenges'] as const;

// Any fixed number; it only has to be the same in every instance of this library.
const MIGRATION_LOCK_ID = 7_340_217_001;
const MIGRATION_LOCK_NAME = 'nestjs_mfa_migrations';

/**
 * Instances that boot together (a rolling deploy) must not run the same migration twice:
 * a session-level advisory lock (PostgreSQL) or named lock (MySQL/MariaDB), held on one
 * connection for the whole run, lets one migrate while the others wait and then find
 * nothing left to do. SQLite serialises writers on its own.
 */
async function withMigrationLock<T>(dataSource: DataSource, run: () => Promise<T>): Promise<T> {
  const type = dataSource.options.type;
  if (type !== 'postgres' && type !== 'mysql' && type !== 'mariadb') return run();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    if (type === 'postgres') await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    else {
      const [row] = await runner.query('SELECT GET_LOCK(?, 120) AS got', [MIGRATION_LOCK_NAME]);
      if (Number(row?.got) !== 1) throw new Error('Timed out waiting for another instance to finish the MFA migrations');
    }
    try {
      return await run();
    } finally {
      await (type === 'postgres' ? runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]) : runner.query('SELECT RELEASE_LOCK(?)', [MIGRATION_LOCK_NAME]));
    }
  } finally {
    await runner.release();
  }
}

/**
 * MfaStore on TypeORM (SQLite, PostgreSQL, MySQL/MariaDB). Each spending method is a
 * single `UPDATE … WHERE <still unspent>` and reports success only when exactly one
 * row changed, so two racing requests can never both spend the same thing.
 */
export class TypeOrmMfaStore implements MfaStore {
  private readonly verifications: TypeOrmVerificationWriter;

  constructor(
    readonly dataSource: DataSource,
    private readonly ownsDataSource = false,
  ) {
    this.verifications = new TypeOrmVerificationWriter(dataSource);
  }

  /** Opens a DataSource the store owns, with its own migrations table, and migrates it. */
  static async connect(options: DataSourceOptions): Promise<TypeOrmMfaStore> {
    const extra = options.type === 'better-sqlite3' && options.database !== ':memory:' ? { enableWAL: true } : {};
    const dataSource = new DataSource({
      ...options,
      ...extra,
      entities: mfaEntities,
      migrations: mfaMigrations,
      migrationsTableName: MFA_MIGRATIONS_TABLE,
      synchronize: false,
      migrationsRun: false,
    } as DataSourceOptions);
    await dataSource.initialize();
    try {
      await withMigrationLock(dataSource, () => dataSource.runMigrations({ transaction: 'each' }));
    } catch (err) {
      await dataSource.destroy();
      throw err;
    }
    return new TypeOrmMfaStore(dataSource, true);
  }

  /** Uses the app's own DataSource, which must already carry `mfaEntities` and `mfaMigrations`. */
  static async attach(dataSource: DataSource): Promise<TypeOrmMfaStore> {
    const fix = 'Add `mfaEntities` to its entities and `mfaMigrations` to its migrations (from nestjs-mfa/typeorm), then run its migrations.';
    if (!dataSource.isInitialized) throw new MfaConfigurationError(`The DataSource given to nestjs-mfa is not initialized: call initialize() first.`);
    if (!mfaEntities.every((entity) => dataSource.hasMetadata(entity))) {
      throw new MfaConfigurationError(`The DataSource given to nestjs-mfa does not know the MFA entities. ${fix}`);
    }
    const runner = dataSource.createQueryRunner();
    try {
      if (!(await runner.hasTable('mfa_session_factors'))) {
        throw new MfaConfigurationError(`The MFA tables do not exist in the DataSource given to nestjs-mfa. ${fix}`);
      }
    } finally {
      await runner.release();
    }
    return new TypeOrmMfaStore(dataSource, false);
  }

  private readonly texts = new Map<string, string>();

  private get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  private get mysql(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  /**
   * The hot paths run fixed, parameterised SQL: no query building or entity mapping per
   * request, and the same text every time, so drivers reuse their prepared statements.
   */
  private text(sql: string): string {
    if (!this.postgres) return sql;
    let numbered = this.texts.get(sql);
    if (!numbered) {
      let n = 0;
      this.texts.set(sql, (numbered = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return numbered;
  }

  private select<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query(this.text(sql), params);
  }

  /** Runs a write and returns the affected-row count, the answer of every spending method. */
  private async write(sql: string, params: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.query(this.text(sql), params, true)).affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  private update<T extends ObjectLiteral>(entity: EntityTarget<T>) {
    return this.dataSource.createQueryBuilder().update(entity);
  }

  async createEnrollment(r: EnrollmentRecord): Promise<void> {
    await this.dataSource.getRepository(MfaEnrollmentEntity).insert({
      id: r.id, userId: r.userId, type: r.type, status: r.status, label: r.label, sealedSecret: r.sealedSecret,
      // SMS and email rows carry no TOTP profile; the columns predate them and stay non-null.
      keyId: r.keyId, algorithm: r.profile?.algorithm ?? '', digits: r.profile?.digits ?? 0, period: r.profile?.period ?? 0,
      maskedTarget: r.maskedTarget, lastStep: r.lastStep, createdAt: r.createdAt, confirmedAt: r.confirmedAt, lastUsedAt: r.lastUsedAt,
    });
  }

  async findEnrollment(userId: string, id: string): Promise<EnrollmentRecord | null> {
    const rows = await this.select<EnrollmentRow>(`SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE id = ? AND user_id = ?`, [id, userId]);
    return rows.length ? enrollmentFromRow(rows[0]) : null;
  }

  async listEnrollments(userId: string): Promise<EnrollmentRecord[]> {
    const rows = await this.select<EnrollmentRow>(`SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE user_id = ? ORDER BY created_at, id`, [userId]);
    return rows.map(enrollmentFromRow);
  }

  async dropPendingEnrollments(userId: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.getRepository(MfaEnrollmentEntity).delete({ userId, status: 'pending', id: In([...ids]) });
  }

  async setEnrollmentLabel(userId: string, id: string, label: string): Promise<boolean> {
    // MySQL/MariaDB count matched rows here (mysql2 sets FOUND_ROWS), so an unchanged label is still found.
    const sql = "UPDATE mfa_enrollments SET label = ? WHERE id = ? AND user_id = ? AND status = 'active'";
    return (await this.write(sql, [label, id, userId])) === 1;
  }

  async activateEnrollment(userId: string, id: string, step: number | null, now: number): Promise<boolean> {
    const query = this.update(MfaEnrollmentEntity)
      .set(step === null ? { status: 'active', confirmedAt: now, lastUsedAt: now } : { status: 'active', lastStep: step, confirmedAt: now, lastUsedAt: now })
      .where('id = :id AND user_id = :userId AND status = :pending', { id, userId, pending: 'pending' });
    if (step !== null) query.andWhere('(last_step IS NULL OR last_step < :step)', { step });
    return (await query.execute()).affected === 1;
  }

  async acceptTotpStep(userId: string, id: string, step: number, now: number): Promise<boolean> {
    return (await this.write(...spendStatement(userId, { kind: 'totp_step', enrollmentId: id, step }, now))) === 1;
  }

  async listEnrollmentsNotSealedWith(keyId: string, limit: number): Promise<EnrollmentRecord[]> {
    const rows = await this.select<EnrollmentRow>(`SELECT ${ENROLLMENT_COLUMNS} FROM mfa_enrollments WHERE key_id <> ? ORDER BY id LIMIT ?`, [keyId, limit]);
    return rows.map(enrollmentFromRow);
  }

  async replaceSealedSecret(id: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean> {
    const result = await this.update(MfaEnrollmentEntity)
      .set({ sealedSecret: sealed, keyId })
      .where('id = :id AND sealed_secret = :expectedSealed', { id, expectedSealed })
      .execute();
    return result.affected === 1;
  }

  async replaceBackupCodes(userId: string, codes: Array<{ id: string; codeHash: string }>, now: number): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.delete(MfaBackupCodeEntity, { userId });
      await em.insert(MfaBackupCodeEntity, codes.map((c) => ({ ...c, userId, createdAt: now, usedAt: null })));
    });
  }

  async listUnusedBackupCodes(userId: string): Promise<BackupCodeRecord[]> {
    const rows = await this.select<{ id: string; code_hash: string }>('SELECT id, code_hash FROM mfa_backup_codes WHERE user_id = ? AND used_at IS NULL', [userId]);
    return rows.map((r) => ({ id: r.id, userId, codeHash: r.code_hash }));
  }

  async consumeBackupCode(userId: string, id: string, now: number): Promise<boolean> {
    return (await this.write(...spendStatement(userId, { kind: 'backup_code', codeId: id }, now))) === 1;
  }

  async replaceOtpCode(r: OtpCodeRecord, now: number): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const killed = await em.createQueryBuilder().update(MfaOtpCodeEntity)
        .set({ consumedAt: now })
        .where('user_id = :userId AND purpose = :purpose AND consumed_at IS NULL', { userId: r.userId, purpose: r.purpose })
        .execute();
      await em.insert(MfaOtpCodeEntity, { ...r, consumedAt: null, provider: null, messageId: null, deliveryStatus: null, statusAt: null });
      return killed.affected ?? 0;
    });
  }

  async findLiveOtpCode(userId: string, purpose: string, channel: 'sms' | 'email', now: number): Promise<OtpCodeRecord | null> {
    const row = await this.dataSource.getRepository(MfaOtpCodeEntity).createQueryBuilder('c')
      .where('c.user_id = :userId AND c.purpose = :purpose AND c.channel = :channel', { userId, purpose, channel })
      .andWhere('c.consumed_at IS NULL AND c.expires_at > :now', { now })
      .orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').getOne();
    if (!row) return null;
    const { id, enrollmentId, codeDigest, createdAt, expiresAt } = row;
    return { id, userId, channel, enrollmentId, purpose, codeDigest, createdAt, expiresAt };
  }

  async consumeOtpCode(userId: string, id: string, now: number): Promise<boolean> {
    return (await this.write(...spendStatement(userId, { kind: 'otp_code', codeId: id }, now))) === 1;
  }

  async recordOtpDelivery(id: string, provider: string, messageId: string | null, status: string | null): Promise<void> {
    await this.update(MfaOtpCodeEntity)
      .set({ provider: provider.slice(0, 32), messageId: messageId?.slice(0, 191) ?? null, deliveryStatus: status?.slice(0, 32) ?? null })
      .where('id = :id', { id })
      .execute();
  }

  async updateDeliveryStatus(provider: string, messageId: string, status: string, now: number): Promise<{ userId: string; channel: string } | null> {
    const repo = this.dataSource.getRepository(MfaOtpCodeEntity);
    const row = await repo.findOne({ where: { provider, messageId }, select: { id: true, userId: true, channel: true } });
    if (!row) return null;
    await this.update(MfaOtpCodeEntity).set({ deliveryStatus: status, statusAt: now }).where('id = :id', { id: row.id }).execute();
    return { userId: row.userId, channel: row.channel };
  }

  async deleteEnrollment(userId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.createQueryBuilder().delete().from(MfaEnrollmentEntity)
      .where('id = :id AND user_id = :userId', { id, userId }).execute();
    return result.affected === 1;
  }

  async createTrustedDevice(r: TrustedDeviceRecord): Promise<void> {
    await this.dataSource.getRepository(MfaTrustedDeviceEntity).insert(r);
  }

  async findTrustedDevice(id: string): Promise<TrustedDeviceRecord | null> {
    return this.dataSource.getRepository(MfaTrustedDeviceEntity).findOneBy({ id });
  }

  async listTrustedDevices(userId: string): Promise<TrustedDeviceRecord[]> {
    return this.dataSource.getRepository(MfaTrustedDeviceEntity).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async touchTrustedDevice(id: string, now: number): Promise<void> {
    await this.update(MfaTrustedDeviceEntity).set({ lastSeenAt: now }).where('id = :id', { id }).execute();
  }

  async revokeTrustedDevice(userId: string, id: string, now: number, reason: string): Promise<boolean> {
    const result = await this.update(MfaTrustedDeviceEntity)
      .set({ revokedAt: now, revokedReason: reason.slice(0, 191) })
      .where('id = :id AND user_id = :userId AND revoked_at IS NULL', { id, userId })
      .execute();
    return result.affected === 1;
  }

  async revokeTrustedDevices(userId: string, now: number, reason: string): Promise<number> {
    const result = await this.update(MfaTrustedDeviceEntity)
      .set({ revokedAt: now, revokedReason: reason.slice(0, 191) })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
    return result.affected ?? 0;
  }

  async createRecoveryTicket(r: RecoveryTicketRecord): Promise<void> {
    await this.dataSource.getRepository(MfaRecoveryTicketEntity).insert(r);
  }

  async findRecoveryTicket(id: string): Promise<RecoveryTicketRecord | null> {
    return this.dataSource.getRepository(MfaRecoveryTicketEntity).findOneBy({ id });
  }

  async redeemRecoveryTicket(id: string, now: number): Promise<boolean> {
    const result = await this.update(MfaRecoveryTicketEntity)
      .set({ redeemedAt: now })
      .where('id = :id AND redeemed_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    return result.affected === 1;
  }

  async findUserState(userId: string): Promise<UserMfaState | null> {
    return this.dataSource.getRepository(MfaUserStateEntity).findOneBy({ userId });
  }

  async markEnrollmentRequired(userId: string, now: number): Promise<number> {
    const repo = this.dataSource.getRepository(MfaUserStateEntity);
    // Only the first time counts: set it where it is still empty, insert where there is no row.
    await this.update(MfaUserStateEntity).set({ enrollmentRequiredSince: now })
      .where('user_id = :userId AND enrollment_required_since IS NULL', { userId }).execute();
    const existing = await repo.findOneBy({ userId });
    if (existing?.enrollmentRequiredSince != null) return existing.enrollmentRequiredSince;
    try {
      await repo.insert({ userId, enrollmentRequiredSince: now, reenrollmentForcedAt: null });
      return now;
    } catch {
      return (await repo.findOneBy({ userId }))?.enrollmentRequiredSince ?? now; // a concurrent request inserted it first
    }
  }

  async setReenrollmentForced(userId: string, at: number | null): Promise<void> {
    const updated = await this.update(MfaUserStateEntity).set({ reenrollmentForcedAt: at }).where('user_id = :userId', { userId }).execute();
    if (updated.affected) return;
    try {
      await this.dataSource.getRepository(MfaUserStateEntity).insert({ userId, enrollmentRequiredSince: null, reenrollmentForcedAt: at });
    } catch {
      await this.update(MfaUserStateEntity).set({ reenrollmentForcedAt: at }).where('user_id = :userId', { userId }).execute();
    }
  }

  async findPendingChallenge(userId: string, sessionRef: string, purpose: string, now: number): Promise<ChallengeRecord | null> {
    const rows = await this.select<ChallengeRow>(
      `SELECT ${CHALLENGE_COLUMNS} FROM mfa_challenges WHERE session_ref = ? AND purpose = ? AND user_id = ? AND status = 'pending' AND expires_at > ? ORDER BY created_at DESC LIMIT 1`,
      [sessionRef, purpose, userId, now],
    );
    return rows.length ? challengeFromRow(rows[0]) : null;
  }

  async createChallenge(r: ChallengeRecord): Promise<void> {
    await this.dataSource.getRepository(MfaChallengeEntity).insert({
      ...r, requirement: JSON.stringify(r.requirement), completedAt: null,
    });
  }

  async findChallenge(id: string): Promise<ChallengeRecord | null> {
    const rows = await this.select<ChallengeRow>(`SELECT ${CHALLENGE_COLUMNS} FROM mfa_challenges WHERE id = ?`, [id]);
    return rows.length ? challengeFromRow(rows[0]) : null;
  }

  async completeChallenge(id: string, now: number): Promise<boolean> {
    return (await this.write(COMPLETE_CHALLENGE, [now, id])) === 1;
  }

  commitVerification(commit: VerificationCommit): Promise<VerificationOutcome> {
    return this.verifications.commit(commit);
  }

  /**
   * The hot path: every guarded request calls it once. Plain SQL skips the repository's
   * entity mapping, which costs five times the query itself on SQLite.
   */
  async listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]> {
    const sql = this.dataSource.options.type === 'postgres' ? SESSION_FACTORS_SQL_PG : SESSION_FACTORS_SQL;
    const rows: Array<{ factor: string; verified_at: string | number; event_id: string | null; baseline: string | null }> =
      await this.dataSource.query(sql, [sessionRef, userId]);
    return rows.map((r) => ({
      sessionRef,
      userId,
      factor: r.factor as SessionFactorRecord['factor'],
      verifiedAt: Number(r.verified_at),
      eventId: r.event_id ?? `${sessionRef}:${r.factor}`,
      baseline: r.baseline ? JSON.parse(r.baseline) : undefined,
    }));
  }

  /** One upsert: the verification of this factor in this session, newest wins. */
  async recordSessionFactor(r: SessionFactorRecord): Promise<void> {
    const params = [r.sessionRef, r.factor, r.userId, r.verifiedAt, r.eventId, r.baseline ? JSON.stringify(r.baseline) : null];
    await this.write(this.mysql ? SESSION_FACTOR_UPSERT_MYSQL : SESSION_FACTOR_UPSERT, params);
  }

  async deleteSessionFactors(userId: string, factor?: FactorType): Promise<void> {
    await this.dataSource.getRepository(MfaSessionFactorEntity).delete(factor ? { userId, factor } : { userId });
  }

  async moveSession(userId: string, fromRef: string, toRef: string): Promise<void> {
    if (fromRef === toRef) return;
    await this.dataSource.transaction(async (em) => {
      // The new session takes the old one's place: nothing of its own may collide with (session_ref, factor).
      await em.query(this.text('DELETE FROM mfa_session_factors WHERE session_ref = ? AND user_id = ?'), [toRef, userId]);
      for (const table of SESSION_STATE_TABLES) {
        await em.query(this.text(`UPDATE ${table} SET session_ref = ? WHERE session_ref = ? AND user_id = ?`), [toRef, fromRef, userId]);
      }
    });
  }

  async voidSessions(userId: string, which: { only: string } | { except: string }): Promise<number> {
    const [op, ref] = 'only' in which ? ['=', which.only] : ['<>', which.except];
    const where = `user_id = ? AND session_ref ${op} ?`;
    const live = [`mfa_session_factors WHERE ${where}`, `mfa_grants WHERE ${where} AND used_at IS NULL`, `mfa_challenges WHERE ${where} AND status = 'pending'`];
    return this.dataSource.transaction(async (em) => {
      const union = live.map((from) => `SELECT session_ref FROM ${from}`).join(' UNION ');
      const [row] = await em.query(this.text(`SELECT COUNT(*) AS n FROM (${union}) s`), live.flatMap(() => [userId, ref]));
      for (const from of live) await em.query(this.text(`DELETE FROM ${from}`), [userId, ref]);
      return Number(row?.n ?? 0);
    });
  }

  async countSessions(userId: string, exceptRef: string, now: number): Promise<number> {
    const sql =
      'SELECT COUNT(*) AS n FROM (' +
      'SELECT session_ref FROM mfa_session_factors WHERE user_id = ? AND session_ref <> ? UNION ' +
      'SELECT session_ref FROM mfa_grants WHERE user_id = ? AND session_ref <> ? AND used_at IS NULL AND expires_at > ? UNION ' +
      "SELECT session_ref FROM mfa_challenges WHERE user_id = ? AND session_ref <> ? AND status = 'pending' AND expires_at > ?) s";
    const [row] = await this.select<{ n: string | number }>(sql, [userId, exceptRef, userId, exceptRef, now, userId, exceptRef, now]);
    return Number(row?.n ?? 0);
  }

  async createGrant(r: GrantRecord): Promise<void> {
    await this.dataSource.getRepository(MfaGrantEntity).insert({ ...r, usedAt: null });
  }

  async listUnspentGrants(userId: string, sessionRef: string, scope: string, now: number): Promise<GrantRecord[]> {
    const rows = await this.dataSource.getRepository(MfaGrantEntity).createQueryBuilder('g')
      .where('g.session_ref = :sessionRef AND g.scope = :scope AND g.user_id = :userId', { sessionRef, scope, userId })
      .andWhere('g.used_at IS NULL AND g.expires_at > :now', { now })
      .orderBy('g.created_at', 'ASC').getMany();
    return rows.map(({ usedAt: _usedAt, ...g }) => ({ ...g, factor: g.factor as GrantRecord['factor'] }));
  }

  async consumeGrant(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.update(MfaGrantEntity)
      .set({ usedAt: now })
      .where('id = :id AND user_id = :userId AND used_at IS NULL AND expires_at > :now', { id, userId, now })
      .execute();
    return result.affected === 1;
  }

  async insertPolicyVersion(r: PolicyVersionRecord): Promise<boolean> {
    try {
      await this.dataSource.getRepository(MfaPolicyVersionEntity).insert(r);
      return true;
    } catch (err) {
      if (await this.dataSource.getRepository(MfaPolicyVersionEntity).existsBy({ version: r.version })) return false;
      throw err;
    }
  }

  async listPolicyVersions(): Promise<PolicyVersionRecord[]> {
    return this.dataSource.getRepository(MfaPolicyVersionEntity).find({ order: { version: 'ASC' } });
  }

  async findPolicyVersion(version: number): Promise<PolicyVersionRecord | null> {
    return this.dataSource.getRepository(MfaPolicyVersionEntity).findOneBy({ version });
  }

  async recordPolicyActivation(r: PolicyActivationRecord): Promise<void> {
    await this.dataSource.getRepository(MfaPolicyActivationEntity).insert(r);
  }

  async listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]> {
    const rows = await this.dataSource.getRepository(MfaPolicyActivationEntity).find({ order: { seq: 'DESC' }, take: limit });
    return rows.map(({ version, actor, kind, activatedAt }) => ({ version, actor, kind: kind as PolicyActivationRecord['kind'], activatedAt }));
  }

  async close(): Promise<void> {
    if (this.ownsDataSource && this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
