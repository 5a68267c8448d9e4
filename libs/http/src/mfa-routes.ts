import type { MfaResponse } from './cookies';
import { AuditQueryDto } from './dto/audit-query.dto';
import { ConfirmEnrollmentDto } from './dto/confirm-enrollment.dto';
import { SendChallengeCodeDto, StartEmailEnrollmentDto, StartSmsEnrollmentDto } from './dto/delivery.dto';
import { IssueRecoveryTicketDto, RedeemRecoveryTicketDto } from './dto/lifecycle.dto';
import { CreatePolicyVersionDto, ExplainDto } from './dto/policy-admin.dto';
import { RenameFactorDto } from './dto/rename-factor.dto';
import { StartEnrollmentDto } from './dto/start-enrollment.dto';
import { VerifyChallengeDto } from './dto/verify-challenge.dto';
import type { MfaHttpApi } from './mfa-http-api';
import type { MfaRequest } from './subject-resolvers';

export type MfaRouteMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Who calls the route. Only `delivery-report` runs without the host's authentication (the SMS sender authenticates the provider). */
export type MfaRouteAudience = 'challenge' | 'enrollment' | 'self-service' | 'admin' | 'policy' | 'delivery-report';

/**
 * The verification a route needs on top of a signed-in session. Admin routes check it in
 * `AdminAccess`; the user's own changes are checked by the core (`reauthMaxAge`).
 * - `none`: nothing more (or no session at all, for delivery reports)
 * - `verified`: the caller's own MFA in this session, of any age
 * - `fresh`: a verification within `reauthMaxAge`
 * - `fresh-if-enrolled`: `fresh` once the user has a factor; the first one needs none
 */
export type MfaRouteReauth = 'none' | 'verified' | 'fresh' | 'fresh-if-enrolled';

type Dto = new () => object;

export interface MfaRoute {
  method: MfaRouteMethod;
  /** Below the adapter's route prefix, in Express/Nest parameter syntax. */
  path: string;
  /** The success status; refusals come from `toMfaErrorResponse`. */
  status: 200 | 201;
  audience: MfaRouteAudience;
  /** Refused with 403 CSRF_REJECTED when cross-site, before the caller is even resolved (`assertSameOrigin`). */
  csrf: boolean;
  reauth: MfaRouteReauth;
  /** The validated JSON body, when the route reads one. */
  body?: Dto;
  /** The validated query string, when the route reads one. */
  query?: Dto;
  handler: (api: MfaHttpApi, req: MfaRequest, res?: MfaResponse) => Promise<unknown>;
}

/**
 * Every MFA endpoint, once. The Express router mounts exactly these; the Nest controllers
 * declare theirs by hand and `test/architecture/route-table.spec.ts` holds them to this list.
 * Grouped by audience; within a group, in the order a client meets them.
 */
export const MFA_ROUTES: readonly MfaRoute[] = [
  // A challenge of this session: answer it, or have its code sent.
  { method: 'POST', path: '/challenges/:challengeId/verify', status: 200, audience: 'challenge', csrf: true, reauth: 'none', body: VerifyChallengeDto,
    handler: (api, req, res) => api.challenges.verify(req, res) },
  { method: 'POST', path: '/challenges/:challengeId/send', status: 200, audience: 'challenge', csrf: true, reauth: 'none', body: SendChallengeCodeDto,
    handler: (api, req) => api.challenges.sendCode(req) },

  // The user's factors.
  { method: 'GET', path: '/enrollments', status: 200, audience: 'enrollment', csrf: false, reauth: 'none',
    handler: (api, req) => api.enrollment.list(req) },
  { method: 'POST', path: '/totp/enrollments', status: 201, audience: 'enrollment', csrf: true, reauth: 'fresh-if-enrolled', body: StartEnrollmentDto,
    handler: (api, req) => api.enrollment.startTotp(req) },
  { method: 'POST', path: '/totp/enrollments/:enrollmentId/confirm', status: 200, audience: 'enrollment', csrf: true, reauth: 'none', body: ConfirmEnrollmentDto,
    handler: (api, req, res) => api.enrollment.confirmTotp(req, res) },
  { method: 'POST', path: '/sms/enrollments', status: 201, audience: 'enrollment', csrf: true, reauth: 'fresh-if-enrolled', body: StartSmsEnrollmentDto,
    handler: (api, req) => api.enrollment.startDelivery(req, 'sms') },
  { method: 'POST', path: '/sms/enrollments/:enrollmentId/resend', status: 200, audience: 'enrollment', csrf: true, reauth: 'none',
    handler: (api, req) => api.enrollment.resendDelivery(req, 'sms') },
  { method: 'POST', path: '/sms/enrollments/:enrollmentId/confirm', status: 200, audience: 'enrollment', csrf: true, reauth: 'none', body: ConfirmEnrollmentDto,
    handler: (api, req, res) => api.enrollment.confirmDelivery(req, 'sms', res) },
  { method: 'POST', path: '/email/enrollments', status: 201, audience: 'enrollment', csrf: true, reauth: 'fresh-if-enrolled', body: StartEmailEnrollmentDto,
    handler: (api, req) => api.enrollment.startDelivery(req, 'email') },
  { method: 'POST', path: '/email/enrollments/:enrollmentId/resend', status: 200, audience: 'enrollment', csrf: true, reauth: 'none',
    handler: (api, req) => api.enrollment.resendDelivery(req, 'email') },
  { method: 'POST', path: '/email/enrollments/:enrollmentId/confirm', status: 200, audience: 'enrollment', csrf: true, reauth: 'none', body: ConfirmEnrollmentDto,
    handler: (api, req, res) => api.enrollment.confirmDelivery(req, 'email', res) },
  { method: 'PATCH', path: '/enrollments/:enrollmentId', status: 200, audience: 'enrollment', csrf: true, reauth: 'fresh', body: RenameFactorDto,
    handler: (api, req) => api.enrollment.rename(req) },
  { method: 'DELETE', path: '/enrollments/:enrollmentId', status: 200, audience: 'enrollment', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.enrollment.remove(req) },
  { method: 'POST', path: '/backup-codes/regenerate', status: 200, audience: 'enrollment', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.enrollment.regenerateBackupCodes(req) },

  // The user's devices, other sessions and recovery.
  { method: 'GET', path: '/devices', status: 200, audience: 'self-service', csrf: false, reauth: 'none',
    handler: (api, req) => api.selfService.listDevices(req) },
  { method: 'DELETE', path: '/devices/:deviceId', status: 200, audience: 'self-service', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.selfService.revokeDevice(req) },
  { method: 'DELETE', path: '/devices', status: 200, audience: 'self-service', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.selfService.revokeDevices(req) },
  { method: 'POST', path: '/sessions/revoke-others', status: 200, audience: 'self-service', csrf: true, reauth: 'fresh-if-enrolled',
    handler: (api, req) => api.selfService.revokeOtherSessions(req) },
  { method: 'POST', path: '/recovery/redeem', status: 200, audience: 'self-service', csrf: true, reauth: 'none', body: RedeemRecoveryTicketDto,
    handler: (api, req) => api.selfService.redeemRecoveryTicket(req) },

  // An admin acting on one user.
  { method: 'GET', path: '/admin/users/:userId', status: 200, audience: 'admin', csrf: false, reauth: 'verified',
    handler: (api, req) => api.admin.viewUser(req) },
  { method: 'POST', path: '/admin/users/:userId/reenrollment', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.forceReenrollment(req) },
  { method: 'DELETE', path: '/admin/users/:userId/enrollments/:enrollmentId', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.resetFactor(req) },
  { method: 'DELETE', path: '/admin/users/:userId/devices/:deviceId', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.revokeDevice(req) },
  { method: 'DELETE', path: '/admin/users/:userId/devices', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.revokeDevices(req) },
  { method: 'POST', path: '/admin/users/:userId/backup-codes', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.regenerateBackupCodes(req) },
  { method: 'POST', path: '/admin/users/:userId/recovery-tickets', status: 201, audience: 'admin', csrf: true, reauth: 'fresh', body: IssueRecoveryTicketDto,
    handler: (api, req) => api.admin.issueRecoveryTicket(req) },
  { method: 'DELETE', path: '/admin/users/:userId/lockout', status: 200, audience: 'admin', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.admin.clearLockout(req) },

  // An admin on the policy and the audit trail. Explain is a POST that changes nothing: no CSRF check.
  { method: 'GET', path: '/admin/policy/versions', status: 200, audience: 'policy', csrf: false, reauth: 'verified',
    handler: (api, req) => api.policy.listVersions(req) },
  { method: 'GET', path: '/admin/policy/versions/:version', status: 200, audience: 'policy', csrf: false, reauth: 'verified',
    handler: (api, req) => api.policy.getVersion(req) },
  { method: 'POST', path: '/admin/policy/versions', status: 201, audience: 'policy', csrf: true, reauth: 'fresh', body: CreatePolicyVersionDto,
    handler: (api, req) => api.policy.createVersion(req) },
  { method: 'POST', path: '/admin/policy/versions/:version/activate', status: 200, audience: 'policy', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.policy.activateVersion(req) },
  { method: 'POST', path: '/admin/policy/rollback', status: 200, audience: 'policy', csrf: true, reauth: 'fresh',
    handler: (api, req) => api.policy.rollback(req) },
  { method: 'POST', path: '/admin/policy/explain', status: 200, audience: 'policy', csrf: false, reauth: 'verified', body: ExplainDto,
    handler: (api, req) => api.policy.explain(req) },
  { method: 'GET', path: '/admin/audit', status: 200, audience: 'policy', csrf: false, reauth: 'verified', query: AuditQueryDto,
    handler: (api, req) => api.policy.queryAudit(req) },

  // SMS providers' delivery reports: Twilio's StatusCallback posts, Vonage's DLR may GET or POST.
  { method: 'POST', path: '/delivery/:provider/status', status: 200, audience: 'delivery-report', csrf: false, reauth: 'none',
    handler: (api, req) => api.challenges.deliveryStatus(req) },
  { method: 'GET', path: '/delivery/:provider/status', status: 200, audience: 'delivery-report', csrf: false, reauth: 'none',
    handler: (api, req) => api.challenges.deliveryStatus(req) },
];
