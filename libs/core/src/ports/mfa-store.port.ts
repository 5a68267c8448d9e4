import type { BackupCodeStore } from './store/backup-code.store';
import type { ChallengeStore } from './store/challenge.store';
import type { TrustedDeviceStore } from './store/device.store';
import type { EnrollmentStore } from './store/enrollment.store';
import type { GrantStore } from './store/grant.store';
import type { OtpCodeStore } from './store/otp-code.store';
import type { PolicyStore } from './store/policy.store';
import type { RecoveryTicketStore } from './store/recovery.store';
import type { SessionStore } from './store/session.store';
import type { UserStateStore } from './store/user-state.store';
import type { VerificationStore } from './store/verification.store';

export type { FactorType } from '../factors/factor-type';
export type { Aal, Assurance } from '../factors/assurance';
export type {
  EnrollmentType,
  EnrollmentStatus,
  EnrollmentRecord,
  EnrollmentStore,
  PasskeyDetails,
  PasskeyActivation,
} from './store/enrollment.store';
export type { BackupCodeRecord, BackupCodeStore } from './store/backup-code.store';
export type { OtpChannel, OtpCodeRecord, OtpCodeStore } from './store/otp-code.store';
export type { ChallengeStatus, ChallengeDemand, ChallengeRecord, ChallengeStore } from './store/challenge.store';
export type { SessionFactorRecord, SessionStore } from './store/session.store';
export type { GrantRecord, GrantStore } from './store/grant.store';
export type {
  VerificationSpend,
  VerificationCommit,
  VerificationOutcome,
  VerificationStore,
} from './store/verification.store';
export type { TrustedDeviceRecord, TrustedDeviceStore } from './store/device.store';
export type { RecoveryTicketRecord, RecoveryTicketStore } from './store/recovery.store';
export type { UserMfaState, UserStateStore } from './store/user-state.store';
export type { ExemptionScope, ExemptionRecord, ExemptionStore } from './store/exemption.store';
export { isExemptionStore } from './store/exemption.store';
export type {
  PolicyVersionRecord,
  PolicyActivationRecord,
  PolicyReportOnlyRecord,
  PolicyStore,
} from './store/policy.store';

/**
 * Durable MFA state: one interface for a custom store to implement, cut into slices so a
 * service (or its test fake) names only the slice it uses.
 *
 * Every method whose name starts with a verb of spending (`accept`, `activate`, `consume`,
 * `complete`, `redeem`) is ONE conditional write whose affected-row count is the answer:
 * that is how single use holds under concurrency and across instances. Implementations
 * must not read-then-write.
 *
 * Optional slices a store may add: ExemptionStore (`isExemptionStore`), RiskHistoryStore.
 */
export interface MfaStore
  extends
    EnrollmentStore,
    BackupCodeStore,
    OtpCodeStore,
    ChallengeStore,
    VerificationStore,
    SessionStore,
    GrantStore,
    TrustedDeviceStore,
    RecoveryTicketStore,
    UserStateStore,
    PolicyStore {
  close?(): Promise<void>;
}
