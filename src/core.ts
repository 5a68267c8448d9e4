/**
 * `nestjs-mfa/core`: the framework-free engine and its ports, for custom adapters, stores
 * and policy tools. An explicit list: `etc/core.api.md` is the reviewed surface.
 */

// Engine
export { MfaEngine } from '../libs/core/src';
export type {
  MfaCoreOptions,
  LockoutOptions,
  ChannelLockout,
  LockoutEvent,
  DeliveryOptions,
  MfaMessageStrings,
  MfaSubject,
  AuthenticationContext,
  ChallengeView,
  MethodView,
  VerifyResult,
  RenewSessionId,
  TotpEnrollmentStart,
  DeliveryEnrollmentStart,
  CodeSent,
  DeliveryChannel,
  FactorView,
  EnrollmentSummary,
  PolicyVersionView,
  ExplainSubject,
  MfaEngineAdmin,
  EnforceOutcome,
  TrustedDeviceView,
  IssuedDevice,
  UserMfaView,
  RecoveryTicketIssued,
} from '../libs/core/src';

// Errors
export {
  MfaError,
  MfaConfigurationError,
  MfaStoreConnectionError,
  DeliveryError,
  EncryptionKeyUnavailableError,
  MFA_ERROR_CODES,
} from '../libs/core/src';
export type { MfaErrorCode } from '../libs/core/src';

// Clock and keys
export { systemClock, ManualClock, KeyRing } from '../libs/core/src';
export type { Clock, KeyRingOptions, EncryptionKey } from '../libs/core/src';

// Ports (listed once in port.types.ts and store-port.types.ts), and the default counters and sinks behind them
export { InMemoryCounterStore, LoggerAuditSink, FanOutAuditSink } from '../libs/core/src';
export type {
  MachinePrincipalSignal,
  TotpFactorOptions,
  TotpProfile,
  TotpAlgorithm,
  BackupCodeOptions,
  OtpProfile,
  ScryptCost,
} from '../libs/core/src';

// Risk engine: the default history store; the options live under `risk` in MfaCoreOptions
export { InMemoryRiskHistoryStore } from '../libs/core/src';
export type { RiskOptions, RiskWeights, RiskSignals, RiskAssessment } from '../libs/core/src';

// Retention: the options live under `retention` in MfaCoreOptions; `engine.pruneExpired()` answers RetentionCounts
export type { RetentionOptions, RetentionCounts, RetentionKind } from '../libs/core/src';

// Compliance report: `engine.complianceReport(options)`; the same report over any ComplianceStore, and as CSV
export { buildComplianceReport, complianceCsv, LOW_BACKUP_CODES } from '../libs/core/src';
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
} from '../libs/core/src';

// Exemptions: `engine.exemptions` (grant, list, revoke); explain names the one that applies
export { MAX_EXEMPTION_DAYS, isExemptionStore, isOperatorStore } from '../libs/core/src';
export type {
  MfaExemptions,
  ExemptionView,
  GrantExemptionInput,
  ExemptionStatus,
  AppliedExemption,
} from '../libs/core/src';

// Requirements and policy
export { buildRequirement, FACTOR_TYPES, validatePolicy, maskTarget } from '../libs/core/src';
export type {
  Requirement,
  RequirementInput,
  RequirementStep,
  FactorType,
  MfaTarget,
  RequestContext,
  RequestClient,
  VerificationBaseline,
  PolicyDocument,
  PolicyRule,
  PolicyConditions,
  RequirementSpec,
  StepSpec,
  ServicePolicy,
  OperationPolicy,
  PolicyProblem,
  PolicyExplanation,
  DecisionView,
  Decision,
  Drift,
  ExplainedLayer,
  LayerSource,
  EnrollmentFacts,
  EnrollmentStanding,
  RuleSource,
  RequirementStepView,
  WhatIfRequest,
  WhatIfResult,
  WhatIfCoverage,
  WhatIfWindow,
  WhatIfSample,
  WhatIfChanges,
  PolicyDiff,
  ServiceRequirementChange,
  RuleChange,
  SettingChange,
  DiffChange,
} from '../libs/core/src';
export type * from './store-port.types';
export type * from './port.types';
