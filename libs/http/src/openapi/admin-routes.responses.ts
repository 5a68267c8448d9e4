import { COUNT, object, ref, TRUE } from './json-schema.helpers';
import type { RouteResponse } from './user-routes.responses';

const offer = { otherSessions: ref('UserSessionsCount') };

/** `ADMIN_ROUTES`, keyed `${method} ${path}`. */
export const ADMIN_ROUTE_RESPONSES: Record<string, RouteResponse> = {
  'GET /admin/users/:userId': {
    summary: "A user's MFA metadata: factors, backup codes left, devices, lockout, enrollment state",
    schema: ref('UserMfaView'),
    errors: [],
  },
  'POST /admin/users/:userId/reenrollment': {
    summary: 'Force re-enrollment: every factor, code, device and verified session of the user goes',
    schema: object({ reenrollmentForced: TRUE, ...offer }),
    errors: [],
  },
  'DELETE /admin/users/:userId/enrollments/:enrollmentId': {
    summary: "Reset one of the user's factors",
    schema: object({ removed: TRUE, ...offer }),
    errors: ['ENROLLMENT_NOT_FOUND'],
  },
  'DELETE /admin/users/:userId/devices/:deviceId': {
    summary: "Revoke one of the user's trusted browsers",
    schema: object({ revoked: { const: 1 } }),
    errors: ['DEVICE_NOT_FOUND'],
  },
  'DELETE /admin/users/:userId/devices': {
    summary: 'Revoke every trusted browser of the user',
    schema: object({ revoked: COUNT }),
    errors: [],
  },
  'POST /admin/users/:userId/backup-codes': {
    summary: 'A new backup-code set for the user, shown once, to hand over out of band',
    schema: ref('BackupCodes'),
    errors: ['BACKUP_CODES_NEED_FACTOR'],
  },
  'POST /admin/users/:userId/recovery-tickets': {
    summary: 'A single-use recovery ticket, shown once, after verifying the user out of band',
    schema: ref('RecoveryTicketIssued'),
    errors: [],
  },
  'DELETE /admin/users/:userId/lockout': {
    summary: 'Lift every lock and failure count of the user',
    schema: object({ cleared: TRUE }),
    errors: [],
  },
  'GET /admin/compliance': {
    summary:
      'Who mandatory enrollment covers without a factor (by group, grace days left), who has only SMS/email, ' +
      'who has fewer than 3 backup codes: over the users the store knows, a page at a time (`limit` users, ' +
      "default 1000, after `cursor` = the previous page's `nextCursor`); `?format=csv` answers text/csv with " +
      'the next cursor in `MFA-Next-Cursor`',
    schema: ref('ComplianceReport'),
    errors: ['OPERATOR_STORE_UNAVAILABLE'],
    text: 'text/csv',
    headers: {
      'MFA-Next-Cursor': {
        description: "With `format=csv`: the next page's `cursor` (absent on the last page); JSON carries `nextCursor`",
        schema: { type: 'string' },
      },
    },
  },
  'GET /admin/policy/versions': {
    summary: 'Every stored policy version; `active` marks the one in force',
    schema: ref('PolicyVersionList'),
    errors: [],
  },
  'GET /admin/policy/versions/:version': {
    summary: 'One policy version with its document',
    schema: ref('PolicyVersion'),
    errors: ['POLICY_VERSION_NOT_FOUND'],
  },
  'POST /admin/policy/versions': {
    summary: 'Store a new policy version (not yet active)',
    schema: ref('PolicyVersionSummary'),
    errors: ['POLICY_INVALID'],
  },
  'POST /admin/policy/versions/:version/activate': {
    summary: 'Put a stored version in force',
    schema: ref('PolicyVersionSummary'),
    errors: ['POLICY_VERSION_NOT_FOUND'],
  },
  'POST /admin/policy/rollback': {
    summary: 'Put the previously active version back in force',
    schema: ref('PolicyVersionSummary'),
    errors: ['POLICY_VERSION_NOT_FOUND'],
  },
  'POST /admin/policy/explain': {
    summary: 'What a user would face on a target in a context, and why (no side effects)',
    schema: ref('PolicyExplanation'),
    errors: [],
  },
  'GET /admin/audit': {
    summary: 'The audit trail, newest first, page by page',
    schema: ref('AuditPage'),
    errors: ['AUDIT_QUERY_UNAVAILABLE'],
  },
  'POST /delivery/:provider/status': {
    summary: "An SMS provider's delivery report (Twilio StatusCallback, Vonage DLR)",
    schema: object({ recorded: { type: 'boolean' } }),
    errors: ['DELIVERY_CALLBACK_REJECTED'],
  },
  'GET /delivery/:provider/status': {
    summary: "An SMS provider's delivery report by GET (Vonage DLR)",
    schema: object({ recorded: { type: 'boolean' } }),
    errors: ['DELIVERY_CALLBACK_REJECTED'],
  },
};
