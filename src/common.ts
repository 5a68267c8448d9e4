/**
 * What both the Nest and the Express entry points export: the errors, the engine, the subject
 * resolvers and the option, port and view types. Not an entry point of its own.
 */

// Errors and the engine `mfa.engine` hands out
export {
  MfaEngine,
  MfaError,
  MfaConfigurationError,
  MfaStoreConnectionError,
  MFA_ERROR_CODES,
  ManualClock,
} from '../libs/core/src';
export type { MfaErrorCode } from '../libs/core/src';
export type { MfaErrorResponse } from '../libs/http/src';

// The OpenAPI description of MFA's endpoints, from the route table
export { buildMfaOpenApi, mergeMfaOpenApi } from '../libs/http/src';
export type { OpenApiDocument, MfaOpenApiOptions, HostOpenApiDocument, JsonSchema } from '../libs/http/src';

// Who the subject is, and the host's sessions
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject, expressSessionRevoker } from '../libs/http/src';
export type {
  ResolveSubject,
  MfaRequest,
  MfaResponse,
  AppSessionRevoker,
  ExpressSessionRevokerOptions,
  ListableSessionStore,
  OtherSessionsOffer,
  RotateSession,
  RenewedSession,
  SessionRenewalInfo,
} from '../libs/http/src';

// Options
export type { MfaOptions, MfaSetupOptions, AuditTarget, DatabaseConnectRetry } from '../libs/setup/src';
export type { MfaHttpOptions } from '../libs/http/src';
export type {
  MfaCoreOptions,
  LockoutOptions,
  ChannelLockout,
  LockoutEvent,
  DeliveryOptions,
  KeyRingOptions,
  EncryptionKey,
  MfaMessageStrings,
  TotpFactorOptions,
  TotpProfile,
  TotpAlgorithm,
  BackupCodeOptions,
  OtpProfile,
  ScryptCost,
  WebAuthnOptions,
} from '../libs/core/src';
export type {
  HttpSmsSenderOptions,
  HttpSmsTemplate,
  SmsPresetOptions,
  TwilioOptions,
  VonageOptions,
  InfobipOptions,
  MessageBirdOptions,
  PlivoOptions,
  SmtpEmailSenderOptions,
  SmtpTransportOptions,
} from '../libs/delivery/src';

// Requirements and policy
export type {
  MfaSubject,
  RequirementInput,
  Requirement,
  RequirementStep,
  FactorType,
  MfaTarget,
  RequestContext,
  VerificationBaseline,
  AuthenticationContext,
  PolicyDocument,
  PolicyRule,
  PolicyConditions,
  RequirementSpec,
  StepSpec,
  ServicePolicy,
  OperationPolicy,
  PolicyProblem,
} from '../libs/core/src';

// Ports a host may implement (the others are listed once in port.types.ts and store-port.types.ts)
export type { Clock, MachinePrincipalSignal } from '../libs/core/src';

// What the engine answers
export type {
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
  PasskeyView,
  PasskeyEnrollmentStart,
  PasskeyRequest,
  ChallengeAnswer,
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  PolicyVersionView,
  ExplainSubject,
  MfaEngineAdmin,
  MfaEngineFactors,
  EnforceOutcome,
  TrustedDeviceView,
  IssuedDevice,
  UserMfaView,
  RecoveryTicketIssued,
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
  ComplianceReport,
  ComplianceOptions,
  ComplianceGroupCount,
  DirectoryUser,
  DirectorySource,
  MissingFactorEntry,
  MissingFactorStatus,
  WeakFactorsEntry,
  LowBackupCodesEntry,
  MfaExemptions,
  ExemptionView,
  GrantExemptionInput,
  ExemptionStatus,
  AppliedExemption,
} from '../libs/core/src';
export type * from './store-port.types';
export type * from './port.types';
