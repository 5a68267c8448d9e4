/**
 * The framework-free core. Not the package surface (that is src/core.ts and src/index.ts):
 * this barrel serves the other libs, the tests and the bench, so it keeps a few internals
 * they use (listed last).
 */

// Engine
export { MfaEngine } from './engine/mfa.engine';
export type { ExplainSubject, WhatIfRequest } from './engine/mfa.engine';
export type { MfaEngineAdmin } from './engine/mfa-engine.admin';
export type { MfaEngineFactors } from './engine/mfa-engine.factors';
export type { PolicyVersionView } from './policy/policy-version.view';
export type {
  MfaCoreOptions,
  LockoutOptions,
  ChannelLockout,
  LockoutEvent,
  DeliveryOptions,
} from './options/mfa-core.options';
export type { ChallengeView, VerifyResult } from './challenges/challenge.service';
export type { RenewSessionId } from './challenges/verification-commit';
export type { MethodView } from './challenges/challenge-methods';
export type { TotpEnrollmentStart, DeliveryEnrollmentStart } from './enrollment/enrollment.service';
export type { FactorView, EnrollmentSummary, PasskeyView } from './enrollment/factor-view';
export type { PasskeyEnrollmentStart } from './factors/passkey/passkey-enrollment';
export type { PasskeyRequest } from './factors/passkey/passkey-requests';
export type { WebAuthnOptions } from './factors/passkey/webauthn.options';
export type {
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './factors/passkey/webauthn.ceremony';
export type { ChallengeAnswer } from './factors/factor.verifier';
export type { Aal, Assurance } from './factors/assurance';
export type { CodeSent, DeliveryChannel } from './delivery/otp-delivery.service';
export type { AuthenticationContext } from './enforcement/authentication-context';
export type { EnforceOutcome } from './enforcement/enforcer';
export type { TrustedDeviceView, IssuedDevice } from './lifecycle/trusted-device.service';
export type { UserMfaView } from './lifecycle/lifecycle.service';
export type { RecoveryTicketIssued } from './lifecycle/recovery-ticket.service';
export type { MfaSubject } from './subject';
export type { MfaMessageStrings } from './delivery/otp-messages';

// Errors
export { MfaError, isMfaError } from './errors/mfa.error';
export { MfaConfigurationError } from './errors/mfa-configuration.error';
export { MfaStoreConnectionError } from './errors/mfa-store-connection.error';
export { DeliveryError } from './errors/delivery.error';
export { EncryptionKeyUnavailableError } from './errors/encryption-key-unavailable.error';
export { MFA_ERROR_CODES } from './errors/mfa-error-code';
export type { MfaErrorCode } from './errors/mfa-error-code';

// Clock and keys
export { systemClock, ManualClock } from './clock/clock';
export type { Clock } from './clock/clock';
export { KeyRing } from './crypto/key-ring';
export type { KeyRingOptions, EncryptionKey } from './crypto/key-ring';

// Ports
export type {
  MfaStore,
  EnrollmentRecord,
  BackupCodeRecord,
  ChallengeRecord,
  ChallengeDemand,
  SessionFactorRecord,
  FactorType,
  EnrollmentStatus,
  ChallengeStatus,
  GrantRecord,
  PolicyVersionRecord,
  PolicyActivationRecord,
  PolicyReportOnlyRecord,
  EnrollmentType,
  OtpCodeRecord,
  TrustedDeviceRecord,
  RecoveryTicketRecord,
  UserMfaState,
  VerificationSpend,
  VerificationCommit,
  VerificationOutcome,
  PasskeyDetails,
  PasskeyActivation,
  OtpChannel,
} from './ports/mfa-store.port';
export type {
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
  PolicyStore,
} from './ports/mfa-store.port';
export type { ExemptionRecord, ExemptionScope, ExemptionStore } from './ports/mfa-store.port';
export { isExemptionStore } from './ports/mfa-store.port';
export type {
  ExemptionView,
  ExemptionStatus,
  GrantExemptionInput,
  AppliedExemption,
  MfaExemptions,
} from './exemptions/exemption';
export { MAX_EXEMPTION_DAYS } from './exemptions/exemption';
export type { CounterStore, CounterHit } from './ports/counter-store.port';
export type { AuditSink, AuditEvent, AuditSeverity, AuditQuery, AuditPage, AuditReader } from './ports/audit-sink.port';
export type {
  SmsSender,
  EmailSender,
  SmsMessage,
  EmailMessage,
  DeliveryReceipt,
  DeliveryStatusReport,
  StatusCallbackRequest,
} from './ports/delivery.port';
export type { Notifier, MfaNotification } from './ports/notifier.port';
export type { SessionInvalidationBus, SessionInvalidation } from './ports/session-invalidation.port';
export type {
  LocationResolver,
  DeviceTrustSignal,
  RiskSignal,
  MachinePrincipalSignal,
} from './ports/context-signals.port';
export type { RiskHistoryStore, RiskProfile, GeoLocation, GeoIpResolver } from './ports/risk-history.port';
export type { OperatorStore, KeyStatusStore, FactorImportStore, ComplianceStore } from './ports/operator-store.port';
export { isOperatorStore } from './ports/operator-store.port';
export type { ImportedFactor, FactorImportOutcome } from './ports/store/factor-import.store';
export type { ComplianceFacts } from './ports/store/compliance.store';
export type { SealedSecretCount } from './ports/store/key-status.store';

// Compliance report: `engine.complianceReport(options)`, or built over a store directly
export type {
  ComplianceReport,
  ComplianceOptions,
  CompliancePolicy,
  ComplianceGroupCount,
  DirectoryUser,
  DirectorySource,
  MissingFactorEntry,
  MissingFactorStatus,
  WeakFactorsEntry,
  LowBackupCodesEntry,
} from './compliance/compliance-report.types';
export { buildComplianceReport, LOW_BACKUP_CODES } from './compliance/compliance-report';
export { complianceCsv } from './compliance/compliance-csv';

// Factor options, and the masking every surface shows a phone or address with
export type { TotpProfile, TotpAlgorithm } from './factors/totp-profile';
export { maskTarget } from './delivery/mask-target';
export type { TotpFactorOptions } from './factors/totp.factor';
export type { BackupCodeOptions } from './factors/backup-code.factor';
export type { OtpProfile } from './factors/otp-code.factor';
export type { ScryptCost } from './crypto/code-hasher';

// Risk engine
export type { RiskOptions } from './risk/risk.options';
export type { RiskWeights } from './risk/risk-score';
export type { RiskSignals, RiskAssessment } from './risk/risk-signals';
export { InMemoryRiskHistoryStore } from './risk/in-memory-risk-history.store';
export type { RetentionOptions } from './retention/retention.options';
export type { RetentionStore, RetentionKind } from './retention/retention.port';
export { RETENTION_KINDS, isRetentionStore } from './retention/retention.port';
export type { RetentionCounts } from './retention/retention.service';

// Default counters and audit sinks
export { InMemoryCounterStore } from './counters/in-memory-counter.store';
export { LoggerAuditSink } from './audit/logger-audit.sink';
export { FanOutAuditSink } from './audit/fan-out-audit.sink';

// Policy
export { buildRequirement, NO_REQUIREMENT, FACTOR_TYPES } from './policy/requirement';
export type { Requirement, RequirementInput, RequirementStep } from './policy/requirement';
export type { MfaTarget, RequestContext, RequestClient, VerificationBaseline } from './policy/request-context';
export type {
  PolicyDocument,
  PolicyRule,
  PolicyConditions,
  RequirementSpec,
  StepSpec,
  ServicePolicy,
  OperationPolicy,
} from './policy/policy-document';
export { validatePolicy } from './policy/validate-policy';
export type { PolicyProblem } from './policy/validate-policy';
export type { RuleSource } from './policy/compile-policy';
export type { Decision, Drift } from './policy/decide';
export { acceptsTrustedDevice } from './policy/device-waivers';
export type {
  PolicyExplanation,
  DecisionView,
  ExplainedLayer,
  LayerSource,
  EnrollmentFacts,
  EnrollmentStanding,
} from './policy/explain';
export type { RequirementStepView } from './policy/requirement-view';
export type { DecisionReplay, ReplayVerification, ReplayGrant } from './policy/decision-replay';
export type { ReportOnlyVerdict, DecisionOutcome } from './policy/decision-recorder';
export type { WhatIfResult, WhatIfCoverage, WhatIfWindow } from './policy/what-if';
export type { WhatIfSample, WhatIfChanges } from './policy/what-if-tally';
export type { PolicyDiff, ServiceRequirementChange, RuleChange, SettingChange, DiffChange } from './policy/policy-diff';

// Internals the tests and the bench build engines and seed stores with (not in the package surface)
export { TotpFactor } from './factors/totp.factor';
export { BackupCodeFactor } from './factors/backup-code.factor';
export { DEFAULT_TOTP_PROFILE } from './factors/totp-profile';
export { totpSecretAad } from './crypto/secret-aad';
export { fromBase32 } from './factors/base32';
// The coordinate check the HTTP layer's location headers share with the core and GeoIP
export { isDegrees } from './risk/degrees';
