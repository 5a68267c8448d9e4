export { MfaEngine } from './engine/mfa.engine';
export type { ExplainSubject } from './engine/mfa.engine';
export type { PolicyVersionView } from './engine/policy.service';
export type { MfaCoreOptions, LockoutOptions, ChannelLockout, LockoutEvent, DeliveryOptions } from './engine/mfa-options';
export type { ChallengeView, MethodView, VerifyResult } from './engine/challenge.service';
export type { TotpEnrollmentStart, FactorView, EnrollmentSummary, DeliveryEnrollmentStart } from './engine/enrollment.service';
export { MfaError, isMfaError } from './errors/mfa.error';
export { MfaConfigurationError } from './errors/mfa-configuration.error';
export { MfaStoreConnectionError } from './errors/mfa-store-connection.error';
export { MFA_ERROR_CODES } from './errors/mfa-error-code';
export type { MfaErrorCode } from './errors/mfa-error-code';
export type { MfaSubject } from './subject';
export { systemClock, ManualClock } from './clock/clock';
export type { Clock } from './clock/clock';
export type {
  MfaStore, EnrollmentRecord, BackupCodeRecord, ChallengeRecord, ChallengeDemand, SessionFactorRecord, FactorType, EnrollmentStatus,
  ChallengeStatus, GrantRecord, PolicyVersionRecord, PolicyActivationRecord, EnrollmentType, OtpCodeRecord, TrustedDeviceRecord, RecoveryTicketRecord,
  UserMfaState, VerificationSpend, VerificationCommit, VerificationOutcome,
} from './ports/mfa-store.port';
export type { EnrollmentStore, BackupCodeStore, OtpCodeStore, ChallengeStore, VerificationStore, SessionStore, GrantStore, TrustedDeviceStore, RecoveryTicketStore, UserStateStore, PolicyStore } from './ports/mfa-store.port';
export type {
  SmsSender, EmailSender, SmsMessage, EmailMessage, DeliveryReceipt, DeliveryStatusReport, StatusCallbackRequest,
} from './ports/delivery.port';
export type { Notifier, MfaNotification } from './ports/notifier.port';
export type { SessionInvalidationBus, SessionInvalidation } from './ports/session-invalidation.port';
export { DeliveryError } from './errors/delivery.error';
export { maskTarget, maskPhone, maskEmail } from './delivery/mask-target';
export { toE164, normalizeEmail, parseDeliveryTarget } from './delivery/delivery-target';
export { resolveMessages, fillTemplate, MFA_MESSAGE_LOCALES } from './delivery/otp-messages';
export type { MfaMessageStrings } from './delivery/otp-messages';
export { EmailNotifier } from './delivery/email.notifier';
export { OtpCodeFactor, DEFAULT_OTP_PROFILE } from './factors/otp-code.factor';
export type { OtpProfile } from './factors/otp-code.factor';
export type { CodeSent, DeliveryChannel } from './engine/otp-delivery.service';
export type { CounterStore, CounterHit } from './ports/counter-store.port';
export type { AuditSink, AuditEvent, AuditSeverity, AuditQuery, AuditPage, AuditReader } from './ports/audit-sink.port';
export { InMemoryCounterStore } from './counters/in-memory-counter.store';
export { LoggerAuditSink } from './audit/logger-audit.sink';
export { FanOutAuditSink } from './audit/fan-out-audit.sink';
export { KeyRing } from './crypto/key-ring';
export type { KeyRingOptions, EncryptionKey } from './crypto/key-ring';
export { CodeHasher, DEFAULT_SCRYPT_COST } from './crypto/code-hasher';
export type { ScryptCost } from './crypto/code-hasher';
export { TotpFactor } from './factors/totp.factor';
export type { TotpFactorOptions } from './factors/totp.factor';
export { BackupCodeFactor } from './factors/backup-code.factor';
export type { BackupCodeOptions } from './factors/backup-code.factor';
export { DEFAULT_TOTP_PROFILE } from './factors/totp-profile';
export type { TotpProfile, TotpAlgorithm } from './factors/totp-profile';
export { buildRequirement, stepsKey, acceptedFactors, isSingleUse, NO_REQUIREMENT, FACTOR_TYPES } from './policy/requirement';
export type { Requirement, RequirementInput, RequirementStep } from './policy/requirement';
export type { MfaTarget, RequestContext, VerificationBaseline } from './policy/request-context';
export { scopeOf, baselineOf } from './policy/request-context';
export type { PolicyDocument, PolicyRule, PolicyConditions, RequirementSpec, StepSpec, ServicePolicy, OperationPolicy } from './policy/policy-document';
export { validatePolicy } from './policy/validate-policy';
export type { PolicyProblem } from './policy/validate-policy';
export { compilePolicy, policyHash, EMPTY_POLICY } from './policy/compile-policy';
export type { CompiledPolicy, CompiledRule, RuleSource } from './policy/compile-policy';
export { decide } from './policy/decide';
export type { Decision, Evidence, VerifiedFactor, UnspentGrant } from './policy/decide';
export { explainPolicy } from './policy/explain';
export { deviceWaivers, acceptsTrustedDevice } from './policy/device-waivers';
export type { AuthenticationContext } from './engine/authentication-context';
export type { PolicyExplanation, DecisionView, ExplainedLayer, LayerSource, EnrollmentFacts, EnrollmentStanding } from './policy/explain';
export { stepView } from './policy/requirement-view';
export type { RequirementStepView } from './policy/requirement-view';
export { totpSecretAad, deliveryTargetAad } from './engine/secret-aad';
export { toBase32, fromBase32 } from './factors/base32';
export type { LocationResolver, DeviceTrustSignal, RiskSignal, MachinePrincipalSignal } from './ports/context-signals.port';
