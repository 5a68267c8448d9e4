/** The TypeORM adapter: store, counters and audit sink over the app's database. */

// Store and sinks
export { TypeOrmMfaStore } from './typeorm-mfa.store';
export { TypeOrmRiskHistory } from './typeorm-risk-history';
export { TypeOrmOperatorStore } from './typeorm-operator-store';
export { TypeOrmCounterStore } from './typeorm-counter.store';
export { TypeOrmAuditSink } from './typeorm-audit.sink';
export { TypeOrmRetentionStore } from './repositories/retention.repository';

// Schema: the lists a host adds to its own DataSource
export { mfaEntities, mfaMigrations } from './mfa-typeorm.schema';

// Entities
export { MfaEnrollmentEntity } from './entities/mfa-enrollment.entity';
export { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
export { MfaChallengeEntity } from './entities/mfa-challenge.entity';
export { MfaSessionFactorEntity } from './entities/mfa-session-factor.entity';
export { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
export { MfaGrantEntity } from './entities/mfa-grant.entity';
export { MfaPolicyVersionEntity } from './entities/mfa-policy-version.entity';
export { MfaPolicyActivationEntity } from './entities/mfa-policy-activation.entity';
export { MfaPolicyReportOnlyEntity } from './entities/mfa-policy-report-only.entity';
export { MfaRiskProfileEntity } from './entities/mfa-risk-profile.entity';
export { MfaCounterEntity } from './entities/mfa-counter.entity';
export { MfaOtpCodeEntity } from './entities/mfa-otp-code.entity';
export { MfaTrustedDeviceEntity } from './entities/mfa-trusted-device.entity';
export { MfaRecoveryTicketEntity } from './entities/mfa-recovery-ticket.entity';
export { MfaUserStateEntity } from './entities/mfa-user-state.entity';
export { MfaExemptionEntity } from './entities/mfa-exemption.entity';

// Migrations
export { MfaInit1763900000000 } from './migrations/1763900000000-mfa-init.migration';
export { MfaPolicy1764000000000 } from './migrations/1764000000000-mfa-policy.migration';
export { MfaCounters1764100000000 } from './migrations/1764100000000-mfa-counters.migration';
export { MfaDelivery1764200000000 } from './migrations/1764200000000-mfa-delivery.migration';
export { MfaLifecycle1764300000000 } from './migrations/1764300000000-mfa-lifecycle.migration';
export { MfaExactText1764400000000 } from './migrations/1764400000000-mfa-exact-text.migration';
export { MfaPasskeys1764500000000 } from './migrations/1764500000000-mfa-passkeys.migration';
export { MfaRiskProfiles1764600000000 } from './migrations/1764600000000-mfa-risk-profiles.migration';
export { MfaPolicyReportOnly1764700000000 } from './migrations/1764700000000-mfa-policy-report-only.migration';
export { MfaRetentionIndexes1764800000000 } from './migrations/1764800000000-mfa-retention-indexes.migration';
export { MfaExemptions1765000000000 } from './migrations/1765000000000-mfa-exemptions.migration';
export { MfaExemptionRuleFingerprint1765100000000 } from './migrations/1765100000000-mfa-exemption-rule-fingerprint.migration';
