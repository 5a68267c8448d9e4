import { FACTOR_TYPES } from '../../../core/src';
import type { JsonSchema } from './dto-schema';
import {
  arrayOf,
  BOOL,
  COUNT,
  enumOf,
  INT,
  NON_EMPTY,
  nullable,
  object,
  oneOf,
  OPEN_OBJECT,
  ref,
  STRING,
  TIME,
  TRUE,
  UUID,
} from './json-schema.helpers';
import { PASSKEY_SCHEMAS } from './passkey.schemas';

const ENROLLMENT_TYPES = FACTOR_TYPES.filter((f) => f !== 'backup_code');
const label = nullable(STRING);

/**
 * What the engine and the endpoints answer with, one component per shape (core's `ChallengeView`,
 * `FactorView`, …); names gain the `Mfa` prefix in the document.
 */
export const VIEW_SCHEMAS: Record<string, JsonSchema> = {
  FactorType: enumOf(FACTOR_TYPES),
  EnrollmentType: enumOf(ENROLLMENT_TYPES),
  RequirementStep: object(
    { factors: arrayOf(ref('FactorType')) },
    {
      any: TRUE,
      maxAge: COUNT,
      allowTrustedDevice: BOOL,
      phishingResistant: TRUE,
      minAal: enumOf([2, 3]),
    },
  ),
  Method: oneOf(
    object({ type: { const: 'totp' }, enrollments: arrayOf(object({ id: UUID, label }), 1) }),
    object({
      type: enumOf(['sms', 'email']),
      enrollments: arrayOf(object({ id: UUID, label, maskedTarget: nullable(STRING) }), 1),
    }),
    object({ type: { const: 'backup_code' }, remaining: { type: 'integer', minimum: 1 } }),
    object({
      type: { const: 'webauthn' },
      enrollments: arrayOf(object({ id: UUID, label, authenticator: nullable(STRING) }), 1),
    }),
  ),
  ChallengeView: object({
    id: UUID,
    expiresAt: TIME,
    requirement: object({ steps: arrayOf(ref('RequirementStep'), 1) }),
    // Can be empty: email held back as a fallback while the other factor cannot be served.
    methods: arrayOf(ref('Method')),
    ruleId: NON_EMPTY,
    policyVersion: INT,
  }),
  PasskeyView: object({
    authenticator: nullable(STRING),
    aaguid: STRING,
    backupEligible: BOOL,
    backedUp: BOOL,
    transports: arrayOf(STRING),
  }),
  FactorView: object(
    {
      id: UUID,
      type: ref('EnrollmentType'),
      label,
      status: enumOf(['pending', 'active']),
      createdAt: TIME,
      confirmedAt: nullable(TIME),
      lastUsedAt: nullable(TIME),
    },
    { maskedTarget: STRING, passkey: ref('PasskeyView') },
  ),
  EnrollmentSummary: object({
    factors: arrayOf(ref('FactorView')),
    backupCodes: object({ remaining: COUNT }),
  }),
  TotpEnrollmentStart: object({
    enrollmentId: UUID,
    secret: { type: 'string', pattern: '^[A-Z2-7]+=*$' },
    otpauthUri: { type: 'string', pattern: '^otpauth://totp/' },
    qrSvg: { type: 'string', pattern: '^<svg' },
    expiresAt: TIME,
  }),
  CodeSent: object({
    method: enumOf(['sms', 'email']),
    sentTo: NON_EMPTY,
    expiresAt: TIME,
    resendAvailableAt: TIME,
  }),
  DeliveryEnrollmentStart: object({
    enrollmentId: UUID,
    method: enumOf(['sms', 'email']),
    sentTo: NON_EMPTY,
    expiresAt: TIME,
    resendAvailableAt: TIME,
  }),
  ...PASSKEY_SCHEMAS,
  /** ASVS 7.4.3: after a change to their factors, the user's other sessions and where to end them. */
  OtherSessionsOffer: object({
    count: nullable(COUNT),
    revoke: object({ verb: { const: 'POST' }, href: { type: 'string', pattern: '^/' } }),
  }),
  /** The same offer when an admin acted: all of the user's sessions, and no link (it is the user's to follow). */
  UserSessionsCount: object({ count: nullable(COUNT) }),
  /** What the host's `rotateSession` hook hands the client (e.g. a new token): the host's shape. */
  RenewedSession: OPEN_OBJECT,
  FactorAdded: object(
    { factor: ref('FactorView'), otherSessions: ref('OtherSessionsOffer') },
    { backupCodes: arrayOf(NON_EMPTY, 1), session: ref('RenewedSession') },
  ),
  BackupCodes: object({ backupCodes: arrayOf(NON_EMPTY, 1) }),
  TrustedDeviceView: object(
    { id: UUID, label: STRING, createdAt: TIME, expiresAt: TIME, lastSeenAt: TIME },
    { current: BOOL },
  ),
  RememberedDevice: object(
    { id: UUID, label: STRING, createdAt: TIME, expiresAt: TIME, lastSeenAt: TIME, waives: arrayOf(STRING) },
    { current: BOOL },
  ),
  VerifyResult: {
    ...object(
      { verified: TRUE, method: ref('FactorType'), verifiedAt: TIME, singleUse: BOOL },
      {
        session: ref('RenewedSession'),
        trustedDevice: nullable(ref('RememberedDevice')),
        deviceNotRemembered: enumOf(['single_use_grant', 'policy_disallows']),
      },
    ),
    // Refused remembering always says why; a remembered device never carries a reason.
    dependentRequired: { deviceNotRemembered: ['trustedDevice'] },
  },
  UserMfaView: object({
    userId: NON_EMPTY,
    factors: arrayOf(ref('FactorView')),
    backupCodes: object({ remaining: COUNT }),
    devices: arrayOf(ref('TrustedDeviceView')),
    lockout: object(
      Object.fromEntries(
        [...FACTOR_TYPES, 'account'].map((channel) => [channel, object({ failures: COUNT, lockedForSeconds: COUNT })]),
      ),
    ),
    enrollment: object({ requiredSince: nullable(TIME), reenrollmentForcedAt: nullable(TIME) }),
  }),
  RecoveryTicketIssued: object({ ticket: { type: 'string', pattern: '^[^.]+\\.[^.]+$' }, expiresAt: TIME }),
};
