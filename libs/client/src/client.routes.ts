import type { MfaRouteKey } from './client.types.js';

/**
 * Every route of the server's `MFA_ROUTES` the client speaks (all but the SMS providers'
 * delivery reports), keyed `METHOD path` exactly as the route table writes them, with the
 * helper that calls it. The helpers build their requests from these keys, and
 * `test/client/client-routes.spec.ts` holds this list to the server's, so a route added
 * there without a helper here fails a test rather than a user.
 */
export const CLIENT_ROUTES = {
  'POST /challenges/:challengeId/verify': 'challenges.verify',
  'POST /challenges/:challengeId/webauthn': 'challenges.passkeyOptions',
  'POST /challenges/:challengeId/send': 'challenges.send',
  'GET /enrollments': 'enrollments.list',
  'POST /totp/enrollments': 'enrollments.startTotp',
  'POST /totp/enrollments/:enrollmentId/confirm': 'enrollments.confirmTotp',
  'POST /webauthn/enrollments': 'enrollments.startPasskey',
  'POST /webauthn/enrollments/:enrollmentId/confirm': 'enrollments.confirmPasskey',
  'POST /sms/enrollments': 'enrollments.startSms',
  'POST /sms/enrollments/:enrollmentId/resend': 'enrollments.resendSms',
  'POST /sms/enrollments/:enrollmentId/confirm': 'enrollments.confirmSms',
  'POST /email/enrollments': 'enrollments.startEmail',
  'POST /email/enrollments/:enrollmentId/resend': 'enrollments.resendEmail',
  'POST /email/enrollments/:enrollmentId/confirm': 'enrollments.confirmEmail',
  'PATCH /enrollments/:enrollmentId': 'enrollments.rename',
  'DELETE /enrollments/:enrollmentId': 'enrollments.remove',
  'POST /backup-codes/regenerate': 'backupCodes.regenerate',
  'GET /devices': 'devices.list',
  'DELETE /devices/:deviceId': 'devices.revoke',
  'DELETE /devices': 'devices.revokeAll',
  'POST /sessions/revoke-others': 'sessions.revokeOthers',
  'POST /recovery/redeem': 'recovery.redeem',
  'GET /admin/users/:userId': 'admin.viewUser',
  'POST /admin/users/:userId/reenrollment': 'admin.forceReenrollment',
  'DELETE /admin/users/:userId/enrollments/:enrollmentId': 'admin.resetFactor',
  'DELETE /admin/users/:userId/devices/:deviceId': 'admin.revokeDevice',
  'DELETE /admin/users/:userId/devices': 'admin.revokeDevices',
  'POST /admin/users/:userId/backup-codes': 'admin.regenerateBackupCodes',
  'POST /admin/users/:userId/recovery-tickets': 'admin.issueRecoveryTicket',
  'DELETE /admin/users/:userId/lockout': 'admin.clearLockout',
  'GET /admin/users/:userId/exemptions': 'admin.exemptions.list',
  'POST /admin/users/:userId/exemptions': 'admin.exemptions.grant',
  'DELETE /admin/users/:userId/exemptions/:exemptionId': 'admin.exemptions.revoke',
  'GET /admin/policy/versions': 'admin.policy.versions',
  'GET /admin/policy/versions/:version': 'admin.policy.version',
  'POST /admin/policy/versions': 'admin.policy.create',
  'POST /admin/policy/versions/:version/activate': 'admin.policy.activate',
  'POST /admin/policy/rollback': 'admin.policy.rollback',
  'POST /admin/policy/explain': 'admin.policy.explain',
  'GET /admin/compliance': 'admin.compliance',
  'GET /admin/audit': 'admin.audit',
  'POST /admin/policy/versions/:version/report-only': 'admin.policy.startReportOnly',
  'DELETE /admin/policy/report-only': 'admin.policy.stopReportOnly',
  'POST /admin/policy/what-if': 'admin.policy.whatIf',
  'GET /admin/policy/diff': 'admin.policy.diff',
} as const satisfies Record<MfaRouteKey, string>;

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The path parameters a route key names, e.g. `{ challengeId: string }`. */
export type RouteParams<K extends string> = { [Name in ParamNames<K>]: string | number };

/** The method and the filled-in path below the route prefix; each parameter is one encoded segment. */
export function routeRequest<K extends MfaRouteKey>(key: K, params: RouteParams<K>): { method: string; path: string } {
  const space = key.indexOf(' ');
  const values = params as Record<string, string | number>;
  const path = key.slice(space + 1).replace(/:(\w+)/g, (_match, name: string) => {
    const value = values[name];
    // An empty id would address another route (`DELETE /devices/` is `DELETE /devices`).
    if (value === undefined || value === '') throw new TypeError(`nestjs-mfa/client: ${key} needs a ${name}`);
    return encodeURIComponent(String(value));
  });
  return { method: key.slice(0, space), path };
}
