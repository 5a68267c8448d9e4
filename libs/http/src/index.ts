/** Framework-free HTTP contract shared by the Nest and Express adapters. */
export type { MfaOptions, AuditTarget } from './mfa-options';
export { createMfaEngine } from './create-mfa-engine';
export { toMfaErrorResponse } from './mfa-error-response';
export type { MfaErrorResponse, ErrorLogger } from './mfa-error-response';
export { validateBody } from './validate-body';
export type { FieldProblem } from './validate-body';
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject } from './subject-resolvers';
export type { ResolveSubject, MfaRequest } from './subject-resolvers';
export { VerifyChallengeDto } from './dto/verify-challenge.dto';
export { ConfirmEnrollmentDto } from './dto/confirm-enrollment.dto';
export { StartEnrollmentDto } from './dto/start-enrollment.dto';
export { MfaHttpApi } from './mfa-http-api';
export { resolveRequestContext } from './request-context.resolver';
export { CreatePolicyVersionDto, ExplainDto } from './dto/policy-admin.dto';
export { StartSmsEnrollmentDto, StartEmailEnrollmentDto, SendChallengeCodeDto } from './dto/delivery.dto';
export { readCookie } from './cookies';
export type { MfaResponse } from './cookies';
export { RedeemRecoveryTicketDto, IssueRecoveryTicketDto } from './dto/lifecycle.dto';
