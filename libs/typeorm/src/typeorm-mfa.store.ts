import { DataSource, DataSourceOptions } from 'typeorm';
import type {
  BackupCodeRecord,
  ChallengeRecord,
  EnrollmentRecord,
  FactorType,
  GrantRecord,
  MfaStore,
  OtpCodeRecord,
  PolicyActivationRecord,
  PolicyReportOnlyRecord,
  PolicyVersionRecord,
  RecoveryTicketRecord,
  SessionFactorRecord,
  TrustedDeviceRecord,
  UserMfaState,
  VerificationCommit,
  VerificationOutcome,
} from '../../core/src';
import type { OtpChannel, PasskeyActivation } from '../../core/src/ports/mfa-store.port';
import { checkMigrated, openMigrated } from './migration-lock';
import { createRepositories, Repositories } from './repositories/repositories';
import { SqlRunner } from './sql-runner';
import { TypeOrmOperatorStore } from './typeorm-operator-store';

type Which = { only: string } | { except: string };

/**
 * MfaStore on TypeORM (SQLite, PostgreSQL, MySQL/MariaDB): one repository per aggregate
 * (`repositories/`) over one shared SqlRunner. Each spending method is a single
 * `UPDATE … WHERE <still unspent>` and reports success only when exactly one row changed,
 * so two racing requests can never both spend the same thing. The delegations are spelled
 * out rather than mixed in, so the class keeps a plain prototype that `implements` checks;
 * those of OperatorStore and RiskHistoryStore in its base classes.
 */
export class TypeOrmMfaStore extends TypeOrmOperatorStore implements MfaStore {
  private readonly repos: Repositories;

  constructor(
    readonly dataSource: DataSource,
    private readonly ownsDataSource = false,
  ) {
    const sql = new SqlRunner(dataSource);
    const repos = createRepositories(sql);
    super(sql, repos.riskProfiles);
    this.repos = repos;
  }

  /** Opens a DataSource the store owns, with its own migrations table, and migrates it. */
  static async connect(options: DataSourceOptions): Promise<TypeOrmMfaStore> {
    return new TypeOrmMfaStore(await openMigrated(options), true);
  }

  /** Uses the app's own DataSource, which must already carry `mfaEntities` and `mfaMigrations`. */
  static async attach(dataSource: DataSource): Promise<TypeOrmMfaStore> {
    await checkMigrated(dataSource);
    return new TypeOrmMfaStore(dataSource, false);
  }

  createEnrollment(r: EnrollmentRecord): Promise<void> {
    return this.repos.enrollments.createEnrollment(r);
  }
  findEnrollment(userId: string, id: string): Promise<EnrollmentRecord | null> {
    return this.repos.enrollments.findEnrollment(userId, id);
  }
  listEnrollments(userId: string): Promise<EnrollmentRecord[]> {
    return this.repos.enrollments.listEnrollments(userId);
  }
  dropPendingEnrollments(userId: string, ids: readonly string[]): Promise<void> {
    return this.repos.enrollments.dropPendingEnrollments(userId, ids);
  }
  setEnrollmentLabel(userId: string, id: string, label: string): Promise<boolean> {
    return this.repos.enrollments.setEnrollmentLabel(userId, id, label);
  }
  activateEnrollment(userId: string, id: string, step: number | null, now: number): Promise<boolean> {
    return this.repos.enrollments.activateEnrollment(userId, id, step, now);
  }
  activatePasskey(
    userId: string,
    id: string,
    activation: PasskeyActivation,
    now: number,
  ): Promise<'activated' | 'credential_taken' | 'not_pending'> {
    return this.repos.enrollments.activatePasskey(userId, id, activation, now);
  }
  acceptTotpStep(userId: string, id: string, step: number, now: number): Promise<boolean> {
    return this.repos.enrollments.acceptTotpStep(userId, id, step, now);
  }
  listEnrollmentsNotSealedWith(keyId: string, limit: number): Promise<EnrollmentRecord[]> {
    return this.repos.enrollments.listEnrollmentsNotSealedWith(keyId, limit);
  }
  replaceSealedSecret(id: string, expected: string, sealed: string, keyId: string): Promise<boolean> {
    return this.repos.enrollments.replaceSealedSecret(id, expected, sealed, keyId);
  }
  deleteEnrollment(userId: string, id: string): Promise<boolean> {
    return this.repos.enrollments.deleteEnrollment(userId, id);
  }

  replaceBackupCodes(userId: string, codes: Array<{ id: string; codeHash: string }>, now: number): Promise<void> {
    return this.repos.backupCodes.replaceBackupCodes(userId, codes, now);
  }
  listUnusedBackupCodes(userId: string): Promise<BackupCodeRecord[]> {
    return this.repos.backupCodes.listUnusedBackupCodes(userId);
  }
  consumeBackupCode(userId: string, id: string, now: number): Promise<boolean> {
    return this.repos.backupCodes.consumeBackupCode(userId, id, now);
  }

  replaceOtpCode(r: OtpCodeRecord, now: number): Promise<number> {
    return this.repos.otpCodes.replaceOtpCode(r, now);
  }
  findLiveOtpCode(userId: string, purpose: string, channel: OtpChannel, now: number): Promise<OtpCodeRecord | null> {
    return this.repos.otpCodes.findLiveOtpCode(userId, purpose, channel, now);
  }
  consumeOtpCode(userId: string, id: string, now: number): Promise<boolean> {
    return this.repos.otpCodes.consumeOtpCode(userId, id, now);
  }
  recordOtpDelivery(id: string, provider: string, messageId: string | null, status: string | null): Promise<void> {
    return this.repos.otpCodes.recordOtpDelivery(id, provider, messageId, status);
  }
  updateDeliveryStatus(
    provider: string,
    messageId: string,
    status: string,
    now: number,
  ): Promise<{ userId: string; channel: string } | null> {
    return this.repos.otpCodes.updateDeliveryStatus(provider, messageId, status, now);
  }

  findPendingChallenge(
    userId: string,
    sessionRef: string,
    purpose: string,
    now: number,
  ): Promise<ChallengeRecord | null> {
    return this.repos.challenges.findPendingChallenge(userId, sessionRef, purpose, now);
  }
  createChallenge(r: ChallengeRecord): Promise<void> {
    return this.repos.challenges.createChallenge(r);
  }
  findChallenge(id: string): Promise<ChallengeRecord | null> {
    return this.repos.challenges.findChallenge(id);
  }
  findChallengeWithEnrollments(
    id: string,
  ): Promise<{ challenge: ChallengeRecord; enrollments: EnrollmentRecord[] } | null> {
    return this.repos.challenges.findChallengeWithEnrollments(id);
  }
  completeChallenge(id: string, now: number): Promise<boolean> {
    return this.repos.challenges.completeChallenge(id, now);
  }
  commitVerification(commit: VerificationCommit): Promise<VerificationOutcome> {
    return this.repos.verifications.commitVerification(commit);
  }

  listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]> {
    return this.repos.sessions.listSessionFactors(userId, sessionRef);
  }
  recordSessionFactor(r: SessionFactorRecord): Promise<void> {
    return this.repos.sessions.recordSessionFactor(r);
  }
  deleteSessionFactors(userId: string, factor?: FactorType): Promise<void> {
    return this.repos.sessions.deleteSessionFactors(userId, factor);
  }
  moveSession(userId: string, fromRef: string, toRef: string): Promise<void> {
    return this.repos.sessions.moveSession(userId, fromRef, toRef);
  }
  voidSessions(userId: string, which: Which): Promise<number> {
    return this.repos.sessions.voidSessions(userId, which);
  }
  countSessions(userId: string, exceptRef: string, now: number): Promise<number> {
    return this.repos.sessions.countSessions(userId, exceptRef, now);
  }

  createGrant(r: GrantRecord): Promise<void> {
    return this.repos.grants.createGrant(r);
  }
  listUnspentGrants(userId: string, sessionRef: string, scope: string, now: number): Promise<GrantRecord[]> {
    return this.repos.grants.listUnspentGrants(userId, sessionRef, scope, now);
  }
  consumeGrant(userId: string, id: string, now: number): Promise<boolean> {
    return this.repos.grants.consumeGrant(userId, id, now);
  }

  createTrustedDevice(r: TrustedDeviceRecord): Promise<void> {
    return this.repos.devices.createTrustedDevice(r);
  }
  findTrustedDevice(id: string): Promise<TrustedDeviceRecord | null> {
    return this.repos.devices.findTrustedDevice(id);
  }
  listTrustedDevices(userId: string): Promise<TrustedDeviceRecord[]> {
    return this.repos.devices.listTrustedDevices(userId);
  }
  touchTrustedDevice(id: string, now: number): Promise<void> {
    return this.repos.devices.touchTrustedDevice(id, now);
  }
  revokeTrustedDevice(userId: string, id: string, now: number, reason: string): Promise<boolean> {
    return this.repos.devices.revokeTrustedDevice(userId, id, now, reason);
  }
  revokeTrustedDevices(userId: string, now: number, reason: string): Promise<number> {
    return this.repos.devices.revokeTrustedDevices(userId, now, reason);
  }

  createRecoveryTicket(r: RecoveryTicketRecord): Promise<void> {
    return this.repos.recovery.createRecoveryTicket(r);
  }
  findRecoveryTicket(id: string): Promise<RecoveryTicketRecord | null> {
    return this.repos.recovery.findRecoveryTicket(id);
  }
  redeemRecoveryTicket(id: string, now: number): Promise<boolean> {
    return this.repos.recovery.redeemRecoveryTicket(id, now);
  }

  findUserState(userId: string): Promise<UserMfaState | null> {
    return this.repos.userStates.findUserState(userId);
  }
  markEnrollmentRequired(userId: string, now: number): Promise<number> {
    return this.repos.userStates.markEnrollmentRequired(userId, now);
  }
  setReenrollmentForced(userId: string, at: number | null): Promise<void> {
    return this.repos.userStates.setReenrollmentForced(userId, at);
  }

  insertPolicyVersion(r: PolicyVersionRecord): Promise<boolean> {
    return this.repos.policies.insertPolicyVersion(r);
  }
  listPolicyVersions(): Promise<PolicyVersionRecord[]> {
    return this.repos.policies.listPolicyVersions();
  }
  findPolicyVersion(version: number): Promise<PolicyVersionRecord | null> {
    return this.repos.policies.findPolicyVersion(version);
  }
  recordPolicyActivation(r: PolicyActivationRecord): Promise<void> {
    return this.repos.policies.recordPolicyActivation(r);
  }
  listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]> {
    return this.repos.policies.listPolicyActivations(limit);
  }
  recordPolicyReportOnly(r: PolicyReportOnlyRecord): Promise<void> {
    return this.repos.policies.recordPolicyReportOnly(r);
  }
  latestPolicyReportOnly(): Promise<PolicyReportOnlyRecord | null> {
    return this.repos.policies.latestPolicyReportOnly();
  }

  async close(): Promise<void> {
    if (this.ownsDataSource && this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
