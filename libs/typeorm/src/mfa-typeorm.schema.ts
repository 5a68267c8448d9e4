import { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
import { MfaBackupCodeEntity } from './entities/mfa-backup-code.entity';
import { MfaChallengeEntity } from './entities/mfa-challenge.entity';
import { MfaEnrollmentEntity } from './entities/mfa-enrollment.entity';
import { MfaSessionFactorEntity } from './entities/mfa-session-factor.entity';
import { MfaInit1763900000000 } from './migrations/1763900000000-mfa-init.migration';
import { MfaPolicy1764000000000 } from './migrations/1764000000000-mfa-policy.migration';
import { MfaCounters1764100000000 } from './migrations/1764100000000-mfa-counters.migration';
import { MfaCounterEntity } from './entities/mfa-counter.entity';
import { MfaOtpCodeEntity } from './entities/mfa-otp-code.entity';
import { MfaDelivery1764200000000 } from './migrations/1764200000000-mfa-delivery.migration';
import { MfaTrustedDeviceEntity } from './entities/mfa-trusted-device.entity';
import { MfaRecoveryTicketEntity } from './entities/mfa-recovery-ticket.entity';
import { MfaUserStateEntity } from './entities/mfa-user-state.entity';
import { MfaLifecycle1764300000000 } from './migrations/1764300000000-mfa-lifecycle.migration';
import { MfaExactText1764400000000 } from './migrations/1764400000000-mfa-exact-text.migration';
import { MfaPasskeys1764500000000 } from './migrations/1764500000000-mfa-passkeys.migration';
import { MfaGrantEntity } from './entities/mfa-grant.entity';
import { MfaPolicyVersionEntity } from './entities/mfa-policy-version.entity';
import { MfaPolicyActivationEntity } from './entities/mfa-policy-activation.entity';
import { MfaPolicyReportOnlyEntity } from './entities/mfa-policy-report-only.entity';
import { MfaRiskProfileEntity } from './entities/mfa-risk-profile.entity';
import { MfaRiskProfiles1764600000000 } from './migrations/1764600000000-mfa-risk-profiles.migration';
import { MfaPolicyReportOnly1764700000000 } from './migrations/1764700000000-mfa-policy-report-only.migration';
import { MfaRetentionIndexes1764800000000 } from './migrations/1764800000000-mfa-retention-indexes.migration';
import { MfaExemptionEntity } from './entities/mfa-exemption.entity';
import { MfaExemptions1765000000000 } from './migrations/1765000000000-mfa-exemptions.migration';
import { MfaExemptionRuleFingerprint1765100000000 } from './migrations/1765100000000-mfa-exemption-rule-fingerprint.migration';

/** Add these to your own DataSource when MFA shares the app's database. */
export const mfaEntities = [
  MfaEnrollmentEntity,
  MfaBackupCodeEntity,
  MfaChallengeEntity,
  MfaSessionFactorEntity,
  MfaAuditEventEntity,
  MfaGrantEntity,
  MfaPolicyVersionEntity,
  MfaPolicyActivationEntity,
  MfaPolicyReportOnlyEntity,
  MfaRiskProfileEntity,
  MfaCounterEntity,
  MfaOtpCodeEntity,
  MfaTrustedDeviceEntity,
  MfaRecoveryTicketEntity,
  MfaUserStateEntity,
  MfaExemptionEntity,
];
export const mfaMigrations = [
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
];
/** The migrations table of a DataSource the MFA store owns, apart from the app's own. */
export const MFA_MIGRATIONS_TABLE = 'mfa_migrations';
