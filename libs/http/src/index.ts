/** Framework-free HTTP contract shared by the Nest and Express adapters. */
export type { MfaOptions } from './mfa-options';
export { createMfaEngine } from './create-mfa-engine';
export { toMfaErrorResponse } from './mfa-error-response';
export type { MfaErrorResponse, ErrorLogger } from './mfa-error-response';
export { validateBody } from './validate-body';
export type { FieldProblem } from './validate-body';
export { requireSubject } from './require-subject';
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject } from './subject-resolvers';
export type { ResolveSubject, MfaRequest } from './subject-resolvers';
export { VerifyChallengeDto } from './dto/verify-challenge.dto';
export { ConfirmEnrollmentDto } from './dto/confirm-enrollment.dto';
export { StartEnrollmentDto } from './dto/start-enrollment.dto';
