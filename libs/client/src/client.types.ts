/**
 * The request and answer of every MFA route, taken from the server's own code: the endpoint
 * classes' return types and the DTOs. Type-only imports, erased from the built JavaScript, so
 * the client carries nothing of the server while its types cannot drift from it.
 */
import type {
  AuthenticationResponseJSON,
  ChallengeView,
  FactorType,
  PolicyDocument,
  RegistrationResponseJSON,
} from '../../core/src';
import type {
  SendChallengeCodeDto,
  StartEmailEnrollmentDto,
  StartSmsEnrollmentDto,
} from '../../http/src/dto/delivery.dto';
import type { GrantExemptionDto } from '../../http/src/dto/exemption.dto';
import type { IssueRecoveryTicketDto } from '../../http/src/dto/lifecycle.dto';
import type { ExplainDto, WhatIfDto } from '../../http/src/dto/policy-admin.dto';
import type { StartEnrollmentDto } from '../../http/src/dto/start-enrollment.dto';
import type { AdminEndpoints } from '../../http/src/endpoints/admin.endpoints';
import type { ChallengeEndpoints } from '../../http/src/endpoints/challenge.endpoints';
import type { EnrollmentEndpoints } from '../../http/src/endpoints/enrollment.endpoints';
import type { ExemptionEndpoints } from '../../http/src/endpoints/exemption.endpoints';
import type { PolicyAdminEndpoints } from '../../http/src/endpoints/policy-admin.endpoints';
import type { SelfServiceEndpoints } from '../../http/src/endpoints/self-service.endpoints';

/** What an endpoint method resolves to: the JSON body of its success answer. */
type Answer<F> = F extends (...args: never[]) => Promise<infer R> ? R : never;

export type { ChallengeView };

// Answers. The names are the client's; the shapes are the endpoints'.
export type VerifyChallengeResult = Answer<ChallengeEndpoints['verify']>;
export type PasskeyChallengeOptions = Answer<ChallengeEndpoints['passkeyOptions']>;
export type CodeSentResult = Answer<ChallengeEndpoints['sendCode']>;
export type EnrollmentListResult = Answer<EnrollmentEndpoints['list']>;
export type TotpEnrollmentStartResult = Answer<EnrollmentEndpoints['startTotp']>;
export type PasskeyEnrollmentStartResult = Answer<EnrollmentEndpoints['startPasskey']>;
export type DeliveryEnrollmentStartResult = Answer<EnrollmentEndpoints['startDelivery']>;
export type DeliveryEnrollmentResendResult = Answer<EnrollmentEndpoints['resendDelivery']>;
/** A confirmed factor: the factor, the first backup codes (shown once), the renewed session, the other sessions. */
export type FactorConfirmedResult = Answer<EnrollmentEndpoints['confirmTotp']>;
export type FactorRenamedResult = Answer<EnrollmentEndpoints['rename']>;
export type FactorRemovedResult = Answer<EnrollmentEndpoints['remove']>;
export type BackupCodesResult = Answer<EnrollmentEndpoints['regenerateBackupCodes']>;
export type DeviceListResult = Answer<SelfServiceEndpoints['listDevices']>;
export type DevicesRevokedResult = Answer<SelfServiceEndpoints['revokeDevices']>;
export type OtherSessionsEndedResult = Answer<SelfServiceEndpoints['revokeOtherSessions']>;
export type RecoveryRedeemedResult = Answer<SelfServiceEndpoints['redeemRecoveryTicket']>;
export type AdminUserViewResult = Answer<AdminEndpoints['viewUser']>;
export type ReenrollmentForcedResult = Answer<AdminEndpoints['forceReenrollment']>;
export type AdminFactorResetResult = Answer<AdminEndpoints['resetFactor']>;
export type RecoveryTicketResult = Answer<AdminEndpoints['issueRecoveryTicket']>;
export type LockoutClearedResult = Answer<AdminEndpoints['clearLockout']>;
export type ExemptionListResult = Answer<ExemptionEndpoints['list']>;
export type ExemptionResult = Answer<ExemptionEndpoints['grant']>;
/** The JSON report; the client never asks for the CSV. */
export type ComplianceReportResult = Exclude<Answer<AdminEndpoints['compliance']>, string>;
export type PolicyVersionListResult = Answer<PolicyAdminEndpoints['listVersions']>;
export type PolicyVersionResult = Answer<PolicyAdminEndpoints['getVersion']>;
export type PolicyExplanationResult = Answer<PolicyAdminEndpoints['explain']>;
export type AuditPageResult = Answer<PolicyAdminEndpoints['queryAudit']>;
export type ReportOnlyStoppedResult = Answer<PolicyAdminEndpoints['stopReportOnly']>;
export type PolicyWhatIfResult = Answer<PolicyAdminEndpoints['whatIf']>;
export type PolicyDiffResult = Answer<PolicyAdminEndpoints['diff']>;

// Requests. Where a DTO only says "an object", the client names the object it is.
type DeviceChoice = { rememberDevice?: boolean };
export type VerifyChallengeBody =
  | ({ method: Exclude<FactorType, 'webauthn'>; code: string; enrollmentId?: string } & DeviceChoice)
  | ({ method: 'webauthn'; response: AuthenticationResponseJSON } & DeviceChoice);
export type SendCodeBody = SendChallengeCodeDto;
export type StartEnrollmentBody = StartEnrollmentDto;
export type StartSmsBody = StartSmsEnrollmentDto;
export type StartEmailBody = StartEmailEnrollmentDto;
export type ConfirmCodeBody = { code: string };
export type ConfirmPasskeyBody = { response: RegistrationResponseJSON };
export type RecoveryTicketBody = IssueRecoveryTicketDto;
/** At most 90 days (`days`, or an ISO `expiresAt`), with a reason; `ruleId` with `scope: 'rule'`. */
export type GrantExemptionBody = GrantExemptionDto;
export type CreatePolicyVersionBody = { document: PolicyDocument; comment?: string };
export type ExplainBody = ExplainDto;
export type WhatIfBody = Omit<WhatIfDto, 'document'> & { document?: PolicyDocument };
/** A what-if: a stored `version` or an unsaved `document` (exactly one), and the window as ISO 8601 or `Date`. */
export type WhatIfParams = Omit<WhatIfBody, 'from' | 'to'> & { from: string | Date; to: string | Date };
/** `GET /admin/audit`'s query; dates as ISO 8601 or `Date`, `limit` 1–200. */
export interface AuditQueryParams {
  userId?: string;
  type?: string;
  from?: string | Date;
  to?: string | Date;
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

type Route<Body, Result> = { body: Body; result: Result };

/** Every route the client calls, keyed `METHOD path` as in `MFA_ROUTES`: its body and its answer. */
export interface MfaRouteTypes {
  'POST /challenges/:challengeId/verify': Route<VerifyChallengeBody, VerifyChallengeResult>;
  'POST /challenges/:challengeId/webauthn': Route<undefined, PasskeyChallengeOptions>;
  'POST /challenges/:challengeId/send': Route<SendCodeBody, CodeSentResult>;
  'GET /enrollments': Route<undefined, EnrollmentListResult>;
  'POST /totp/enrollments': Route<StartEnrollmentBody, TotpEnrollmentStartResult>;
  'POST /totp/enrollments/:enrollmentId/confirm': Route<ConfirmCodeBody, FactorConfirmedResult>;
  'POST /webauthn/enrollments': Route<StartEnrollmentBody, PasskeyEnrollmentStartResult>;
  'POST /webauthn/enrollments/:enrollmentId/confirm': Route<ConfirmPasskeyBody, FactorConfirmedResult>;
  'POST /sms/enrollments': Route<StartSmsBody, DeliveryEnrollmentStartResult>;
  'POST /sms/enrollments/:enrollmentId/resend': Route<undefined, DeliveryEnrollmentResendResult>;
  'POST /sms/enrollments/:enrollmentId/confirm': Route<ConfirmCodeBody, FactorConfirmedResult>;
  'POST /email/enrollments': Route<StartEmailBody, DeliveryEnrollmentStartResult>;
  'POST /email/enrollments/:enrollmentId/resend': Route<undefined, DeliveryEnrollmentResendResult>;
  'POST /email/enrollments/:enrollmentId/confirm': Route<ConfirmCodeBody, FactorConfirmedResult>;
  'PATCH /enrollments/:enrollmentId': Route<{ label: string }, FactorRenamedResult>;
  'DELETE /enrollments/:enrollmentId': Route<undefined, FactorRemovedResult>;
  'POST /backup-codes/regenerate': Route<undefined, BackupCodesResult>;
  'GET /devices': Route<undefined, DeviceListResult>;
  'DELETE /devices/:deviceId': Route<undefined, DevicesRevokedResult>;
  'DELETE /devices': Route<undefined, DevicesRevokedResult>;
  'POST /sessions/revoke-others': Route<undefined, OtherSessionsEndedResult>;
  'POST /recovery/redeem': Route<{ ticket: string }, RecoveryRedeemedResult>;
  'GET /admin/users/:userId': Route<undefined, AdminUserViewResult>;
  'POST /admin/users/:userId/reenrollment': Route<undefined, ReenrollmentForcedResult>;
  'DELETE /admin/users/:userId/enrollments/:enrollmentId': Route<undefined, AdminFactorResetResult>;
  'DELETE /admin/users/:userId/devices/:deviceId': Route<undefined, DevicesRevokedResult>;
  'DELETE /admin/users/:userId/devices': Route<undefined, DevicesRevokedResult>;
  'POST /admin/users/:userId/backup-codes': Route<undefined, BackupCodesResult>;
  'POST /admin/users/:userId/recovery-tickets': Route<RecoveryTicketBody, RecoveryTicketResult>;
  'DELETE /admin/users/:userId/lockout': Route<undefined, LockoutClearedResult>;
  'GET /admin/users/:userId/exemptions': Route<undefined, ExemptionListResult>;
  'POST /admin/users/:userId/exemptions': Route<GrantExemptionBody, ExemptionResult>;
  'DELETE /admin/users/:userId/exemptions/:exemptionId': Route<undefined, ExemptionResult>;
  'GET /admin/compliance': Route<undefined, ComplianceReportResult>;
  'GET /admin/policy/versions': Route<undefined, PolicyVersionListResult>;
  'GET /admin/policy/versions/:version': Route<undefined, PolicyVersionResult>;
  'POST /admin/policy/versions': Route<CreatePolicyVersionBody, PolicyVersionResult>;
  'POST /admin/policy/versions/:version/activate': Route<undefined, PolicyVersionResult>;
  'POST /admin/policy/rollback': Route<undefined, PolicyVersionResult>;
  'POST /admin/policy/explain': Route<ExplainBody, PolicyExplanationResult>;
  'GET /admin/audit': Route<undefined, AuditPageResult>;
  'POST /admin/policy/versions/:version/report-only': Route<undefined, PolicyVersionResult>;
  'DELETE /admin/policy/report-only': Route<undefined, ReportOnlyStoppedResult>;
  'POST /admin/policy/what-if': Route<WhatIfBody, PolicyWhatIfResult>;
  'GET /admin/policy/diff': Route<undefined, PolicyDiffResult>;
}

export type MfaRouteKey = keyof MfaRouteTypes;
