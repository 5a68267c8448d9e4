import { MFA_ERROR_CODES } from '../../../core/src';
import type { MfaErrorCode } from '../../../core/src';
import type { JsonSchema } from './dto-schema';
import { arrayOf, enumOf, INT, NON_EMPTY, object, ref, STRING } from './json-schema.helpers';

export const ALL_ERROR_CODES = Object.keys(MFA_ERROR_CODES) as MfaErrorCode[];

export const statusOf = (code: MfaErrorCode): number => MFA_ERROR_CODES[code].status;

/** The `...details` each refusal adds to `{ statusCode, code, message }`; codes not listed add none. */
const DETAILS: Partial<
  Record<MfaErrorCode, { required?: Record<string, JsonSchema>; optional?: Record<string, JsonSchema> }>
> = {
  MFA_REQUIRED: { required: { challenge: ref('ChallengeView') } },
  MFA_ENROLLMENT_REQUIRED: {
    required: {
      reason: enumOf(['no_factor', 'grace_period_ended', 'reenrollment_forced']),
      enroll: arrayOf(ref('EnrollmentHint')),
    },
    // Only on a forced re-enrollment at a guarded route: where the user ends their other sessions.
    optional: { otherSessions: ref('OtherSessionsOffer') },
  },
  MFA_DENIED: { required: { ruleId: NON_EMPTY, policyVersion: INT } },
  UNAUTHENTICATED: {
    required: {
      reason: enumOf([
        'not_signed_in',
        'token_without_sid',
        'auth_guard_not_run',
        'passport_session_not_restored',
        'no_session_middleware',
        'custom_resolver_returned_null',
      ]),
    },
  },
  VALIDATION_FAILED: { required: { errors: arrayOf(ref('FieldProblem'), 1) } },
  POLICY_INVALID: { required: { errors: arrayOf(ref('PolicyProblem'), 1) } },
  POLICY_VERSION_NOT_FOUND: { optional: { reason: STRING } },
  WHAT_IF_WINDOW_TOO_LARGE: { required: { maxDays: INT, maxEvents: INT } },
  FACTOR_UNAVAILABLE: { required: { method: ref('FactorType') } },
  ENROLLMENT_NOT_FOUND: { optional: { method: ref('FactorType') } },
};

function perCode(code: MfaErrorCode): JsonSchema {
  const { required = {}, optional = {} } = DETAILS[code] ?? {};
  const names = Object.keys(required);
  return {
    if: { properties: { code: { const: code } }, required: ['code'] },
    then: {
      properties: { statusCode: { const: statusOf(code) }, ...required, ...optional },
      ...(names.length ? { required: names } : {}),
    },
  };
}

/** The refusal body and what it refers to; names gain the `Mfa` prefix in the document. */
export const ERROR_SCHEMAS: Record<string, JsonSchema> = {
  ErrorCode: enumOf(ALL_ERROR_CODES),
  FieldProblem: object({ field: NON_EMPTY, problems: arrayOf(STRING, 1) }),
  PolicyProblem: object({ path: { type: 'string', pattern: '^\\$' }, message: STRING }),
  EnrollmentHint: object({
    method: ref('FactorType'),
    verb: { const: 'POST' },
    href: { type: 'string', pattern: '^/' },
  }),
  /**
   * `{ statusCode, code, message, ...details }` (`toMfaErrorResponse`). Each code fixes its status
   * and its details; any other key fails validation (`unevaluatedProperties`).
   */
  ErrorResponse: {
    type: 'object',
    properties: { statusCode: INT, code: ref('ErrorCode'), message: NON_EMPTY },
    required: ['statusCode', 'code', 'message'],
    allOf: ALL_ERROR_CODES.map(perCode),
    unevaluatedProperties: false,
  },
};

/** One error status of one route: the common body, narrowed to the codes the route may answer with it. */
export function errorResponseSchema(codes: readonly MfaErrorCode[]): JsonSchema {
  return { allOf: [ref('ErrorResponse'), { type: 'object', properties: { code: { enum: [...codes] } } }] };
}
