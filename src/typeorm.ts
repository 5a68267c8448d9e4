/**
 * `nestjs-mfa/typeorm`: the TypeORM store, counters and audit sink, and the entities and
 * migrations to add to your own DataSource. `etc/typeorm.api.md` is the reviewed surface.
 */

// Store and sinks
export { TypeOrmMfaStore, TypeOrmCounterStore, TypeOrmAuditSink } from '../libs/typeorm/src';
// Background retention over the store's database; the setup builds it, a host wiring the core itself passes it as `retention.store`
export { TypeOrmRetentionStore } from '../libs/typeorm/src';
// The store's base classes (its risk-history and operator halves), by type only: hosts use TypeOrmMfaStore
export type { TypeOrmRiskHistory, TypeOrmOperatorStore } from '../libs/typeorm/src';

// Schema: add both lists to a DataSource MFA shares with the app
export { mfaEntities, mfaMigrations } from '../libs/typeorm/src';

// Entities and migrations, by type only: the lists above are how a host uses them
export type {
  MfaEnrollmentEntity,
  MfaBackupCodeEntity,
  MfaChallengeEntity,
  MfaSessionFactorEntity,
  MfaAuditEventEntity,
  MfaGrantEntity,
  MfaPolicyVersionEntity,
  MfaPolicyActivationEntity,
  MfaPolicyReportOnlyEntity,
  MfaCounterEntity,
  MfaOtpCodeEntity,
  MfaTrustedDeviceEntity,
  MfaRecoveryTicketEntity,
  MfaUserStateEntity,
  MfaRiskProfileEntity,
  MfaExemptionEntity,
  MfaInit1763900000000,
  MfaPolicy1764000000000,
  MfaCounters1764100000000,
  MfaDelivery1764200000000,
  MfaLifecycle1764300000000,
  MfaExactText1764400000000,
  MfaPasskeys1764500000000,
  MfaRiskProfiles1764600000000,
  MfaPolicyReportOnly1764700000000,
  MfaRetentionIndexes1764800000000,
  MfaExemptions1765000000000,
  MfaExemptionRuleFingerprint1765100000000,
} from '../libs/typeorm/src';

// The ports they implement (also in `nestjs-mfa/core`)
export type {
  FactorType,
  RequirementStep,
  VerificationBaseline,
  TotpProfile,
  TotpAlgorithm,
  CounterStore,
  CounterHit,
  AuditSink,
  AuditEvent,
  AuditSeverity,
  AuditReader,
  AuditQuery,
  AuditPage,
  DecisionReplay,
  ReplayVerification,
  ReplayGrant,
  ReportOnlyVerdict,
  DecisionOutcome,
  RiskHistoryStore,
  RiskProfile,
  RetentionStore,
  RetentionKind,
} from '../libs/core/src';
export type * from './store-port.types';
