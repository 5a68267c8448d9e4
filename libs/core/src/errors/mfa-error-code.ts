/**
 * The one registry of stable error codes. Both adapters answer with these codes and
 * statuses, so a client can branch on `code` and never on a message.
 */
export const MFA_ERROR_CODES = {
  MFA_REQUIRED: { status: 401, message: 'Multi-factor authentication is required for this resource.' },
  MFA_ENROLLMENT_REQUIRED: { status: 403, message: 'Enroll a second factor before using this resource.' },
  MFA_DENIED: { status: 403, message: 'The MFA policy does not allow this request.' },
  MFA_ADMIN_FORBIDDEN: { status: 403, message: 'This MFA administration endpoint needs an administrator.' },
  POLICY_INVALID: { status: 400, message: 'The policy document is invalid; see errors for the paths.' },
  POLICY_VERSION_NOT_FOUND: { status: 404, message: 'No policy version with this number.' },
  POLICY_VERSION_ENFORCED: {
    status: 409,
    message: 'This version is the one in force; report-only runs another version beside it.',
  },
  WHAT_IF_WINDOW_INVALID: { status: 400, message: 'The what-if window must end after it starts.' },
  WHAT_IF_WINDOW_TOO_LARGE: {
    status: 422,
    message: 'The what-if window is too long or holds too many decision events; narrow it (see maxDays, maxEvents).',
  },
  WHAT_IF_BUSY: {
    status: 409,
    message: 'Another what-if is running on this server; try again when it has finished.',
  },
  AUDIT_QUERY_UNAVAILABLE: { status: 404, message: "Audit queries need the database audit sink (audit: 'database')." },
  INVALID_CODE: { status: 401, message: 'The code or challenge is invalid or has expired.' },
  MFA_LOCKED: { status: 429, message: 'Too many failed attempts. Try again later.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in before using multi-factor authentication.' },
  VALIDATION_FAILED: { status: 400, message: 'The request body is malformed.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body uses an unsupported charset or content encoding.' },
  ENROLLMENT_NOT_FOUND: { status: 404, message: 'No pending enrollment with this id.' },
  CHALLENGE_NOT_FOUND: { status: 404, message: 'No pending challenge with this id in this session.' },
  INVALID_PHONE_NUMBER: {
    status: 400,
    message: 'The phone number is not valid: use international format, e.g. +905321234567.',
  },
  INVALID_EMAIL_ADDRESS: { status: 400, message: 'The email address is not valid.' },
  FACTOR_UNAVAILABLE: {
    status: 400,
    message: 'This factor is not available: it is not configured here or not bound to the account.',
  },
  RESEND_TOO_SOON: { status: 429, message: 'A code was sent moments ago. Wait before asking for another.' },
  DELIVERY_LIMIT_REACHED: { status: 429, message: 'Too many codes were sent. Try again later.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests of this kind. Try again later.' },
  DELIVERY_FAILED: { status: 503, message: 'The code could not be sent. Try again in a moment.' },
  DELIVERY_CALLBACK_REJECTED: { status: 403, message: 'The delivery report could not be authenticated.' },
  LAST_FACTOR_REQUIRED: {
    status: 409,
    message: 'This is your last factor and enrollment is mandatory for you: add another before removing it.',
  },
  DEVICE_NOT_FOUND: { status: 404, message: 'No trusted device with this id.' },
  RECOVERY_TICKET_INVALID: { status: 401, message: 'The recovery ticket is invalid, used or expired.' },
  CSRF_REJECTED: { status: 403, message: 'Cross-site requests may not change MFA settings.' },
  BACKUP_CODES_NEED_FACTOR: {
    status: 409,
    message: 'This user has no factor yet: backup codes are issued with the first factor.',
  },
  USER_NOT_FOUND: { status: 404, message: 'No user with this id.' },
  EXEMPTION_NOT_FOUND: { status: 404, message: 'No exemption in force with this id for this user.' },
  EXEMPTION_SELF: {
    status: 403,
    message: 'An administrator cannot exempt themselves: another administrator must grant it.',
  },
  EXEMPTIONS_UNAVAILABLE: {
    status: 501,
    message: 'Exemptions need a store that keeps them (the TypeORM store does); this custom store does not.',
  },
  OPERATOR_STORE_UNAVAILABLE: {
    status: 404,
    message: 'The configured store has no operator reads (OperatorStore); use the TypeORM store for this operation.',
  },
  MFA_UNAVAILABLE: { status: 503, message: 'Multi-factor authentication is temporarily unavailable.' },
  ENCRYPTION_KEY_UNAVAILABLE: {
    status: 503,
    message: 'Multi-factor authentication is temporarily unavailable on this server. Try again in a moment.',
  },
  SESSION_ROTATION_FAILED: {
    status: 503,
    message:
      'The session could not be renewed after verification, so the verification was voided. Sign in or verify again.',
  },
} as const;

export type MfaErrorCode = keyof typeof MFA_ERROR_CODES;
