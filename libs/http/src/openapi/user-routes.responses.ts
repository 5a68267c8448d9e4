import type { MfaErrorCode } from '../../../core/src';
import type { JsonSchema } from './dto-schema';
import { arrayOf, COUNT, nullable, object, ref, STRING, TRUE } from './json-schema.helpers';

/** One route's success body and the refusals of its own (the ones every route shares are added from its columns). */
export interface RouteResponse {
  schema: JsonSchema;
  errors: MfaErrorCode[];
  summary: string;
  /** A text media type the route also answers with (as a string), besides JSON. */
  text?: string;
  /** Headers of the success answer. */
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

// ENCRYPTION_KEY_UNAVAILABLE: a secret sealed under a key this instance was not given (a rolling deploy).
const verifies: MfaErrorCode[] = ['INVALID_CODE', 'MFA_LOCKED', 'ENCRYPTION_KEY_UNAVAILABLE'];
const sends: MfaErrorCode[] = [
  'RESEND_TOO_SOON',
  'DELIVERY_LIMIT_REACHED',
  'DELIVERY_FAILED',
  'ENCRYPTION_KEY_UNAVAILABLE',
];
const confirms: MfaErrorCode[] = ['ENROLLMENT_NOT_FOUND', ...verifies, 'SESSION_ROTATION_FAILED'];
const removed = object({ removed: TRUE, otherSessions: ref('OtherSessionsOffer') });

/** `USER_ROUTES`, keyed `${method} ${path}`. */
export const USER_ROUTE_RESPONSES: Record<string, RouteResponse> = {
  'POST /challenges/:challengeId/verify': {
    summary: 'Answer a challenge; then retry the original request in the same session',
    schema: ref('VerifyResult'),
    errors: [...verifies, 'SESSION_ROTATION_FAILED'],
  },
  'POST /challenges/:challengeId/webauthn': {
    summary: 'The options for navigator.credentials.get() that answer this challenge with a passkey',
    schema: ref('PasskeyRequest'),
    errors: ['CHALLENGE_NOT_FOUND', 'FACTOR_UNAVAILABLE', 'RATE_LIMITED', 'ENCRYPTION_KEY_UNAVAILABLE'],
  },
  'POST /challenges/:challengeId/send': {
    summary: 'Send, or send again, an SMS or email code for this challenge',
    schema: ref('CodeSent'),
    errors: ['CHALLENGE_NOT_FOUND', 'ENROLLMENT_NOT_FOUND', 'FACTOR_UNAVAILABLE', ...sends],
  },
  'GET /enrollments': {
    summary: "The user's active factors and backup codes left (metadata only)",
    schema: ref('EnrollmentSummary'),
    errors: [],
  },
  'POST /totp/enrollments': {
    summary: 'Start binding an authenticator app',
    schema: ref('TotpEnrollmentStart'),
    errors: [],
  },
  'POST /totp/enrollments/:enrollmentId/confirm': {
    summary: 'Confirm an authenticator app with a code from it',
    schema: ref('FactorAdded'),
    errors: confirms,
  },
  'POST /webauthn/enrollments': {
    summary: 'Start registering a passkey: the options for navigator.credentials.create()',
    schema: ref('PasskeyEnrollmentStart'),
    errors: ['FACTOR_UNAVAILABLE', 'ENCRYPTION_KEY_UNAVAILABLE'],
  },
  'POST /webauthn/enrollments/:enrollmentId/confirm': {
    summary: "Confirm a passkey with the browser's attestation",
    schema: ref('FactorAdded'),
    errors: [...confirms, 'FACTOR_UNAVAILABLE'],
  },
  'POST /sms/enrollments': {
    summary: 'Start binding a phone: a code is sent to it',
    schema: ref('DeliveryEnrollmentStart'),
    errors: ['INVALID_PHONE_NUMBER', 'FACTOR_UNAVAILABLE', ...sends],
  },
  'POST /sms/enrollments/:enrollmentId/resend': {
    summary: 'Send a new code to the phone being bound',
    schema: ref('DeliveryEnrollmentStart'),
    errors: ['ENROLLMENT_NOT_FOUND', 'FACTOR_UNAVAILABLE', ...sends],
  },
  'POST /sms/enrollments/:enrollmentId/confirm': {
    summary: 'Confirm a phone with the code sent to it',
    schema: ref('FactorAdded'),
    errors: [...confirms, 'FACTOR_UNAVAILABLE'],
  },
  'POST /email/enrollments': {
    summary: 'Start binding an email address: a code is sent to it',
    schema: ref('DeliveryEnrollmentStart'),
    errors: ['INVALID_EMAIL_ADDRESS', 'FACTOR_UNAVAILABLE', ...sends],
  },
  'POST /email/enrollments/:enrollmentId/resend': {
    summary: 'Send a new code to the address being bound',
    schema: ref('DeliveryEnrollmentStart'),
    errors: ['ENROLLMENT_NOT_FOUND', 'FACTOR_UNAVAILABLE', ...sends],
  },
  'POST /email/enrollments/:enrollmentId/confirm': {
    summary: 'Confirm an address with the code sent to it',
    schema: ref('FactorAdded'),
    errors: [...confirms, 'FACTOR_UNAVAILABLE'],
  },
  'PATCH /enrollments/:enrollmentId': {
    summary: 'Rename one of the factors',
    schema: ref('FactorView'),
    errors: ['ENROLLMENT_NOT_FOUND'],
  },
  'DELETE /enrollments/:enrollmentId': {
    summary: 'Remove one of the factors',
    schema: removed,
    errors: ['ENROLLMENT_NOT_FOUND', 'LAST_FACTOR_REQUIRED'],
  },
  'POST /backup-codes/regenerate': {
    summary: 'A new set of backup codes, shown once; the earlier set is void',
    schema: ref('BackupCodes'),
    errors: ['BACKUP_CODES_NEED_FACTOR'],
  },
  'GET /devices': {
    summary: "The user's trusted browsers; `current` marks this one",
    schema: object({ devices: arrayOf(ref('TrustedDeviceView')) }),
    errors: [],
  },
  'DELETE /devices/:deviceId': {
    summary: 'Stop trusting one browser',
    schema: object({ revoked: { const: 1 } }),
    errors: ['DEVICE_NOT_FOUND'],
  },
  'DELETE /devices': {
    summary: 'Stop trusting every browser',
    schema: object({ revoked: COUNT }),
    errors: [],
  },
  'POST /sessions/revoke-others': {
    summary: "Void MFA in the user's other sessions and end them through the host's hook",
    schema: object({ mfaStateVoided: COUNT, sessionsEnded: nullable(COUNT) }),
    errors: [],
  },
  'POST /recovery/redeem': {
    summary: 'Redeem a help-desk recovery ticket: the old factors go, the user enrolls anew',
    schema: object({ redeemed: TRUE, next: STRING, otherSessions: ref('OtherSessionsOffer') }),
    errors: ['RECOVERY_TICKET_INVALID'],
  },
};
