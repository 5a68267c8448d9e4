import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { MfaHttpApi } from '../../http/src';
import { sendMfaError } from './send-mfa-error';
import { answerBodyRefusals } from './body-refusal.middleware';

type ExpressModule = typeof import('express');
type ApiMethod = (req: Request, res: Response) => Promise<unknown>;

/** Express 4 does not catch rejected promises; every route answers its own errors. */
function route(status: number, run: ApiMethod): RequestHandler {
  return (req: Request, res: Response, _next: NextFunction) => {
    run(req, res).then((body) => res.status(status).json(body)).catch((err) => sendMfaError(res, err));
  };
}

/** The same endpoints and answers as the Nest controllers, under `prefix`; each maps to `MfaHttpApi`. */
export function createMfaRouter(express: ExpressModule, prefix: string, api: MfaHttpApi, authenticate: RequestHandler[] = []): Router {
  const routes = express.Router();
  // No OPTIONS answer of MFA's own (Express would list the methods): the host's CORS or 404 answers, as in Nest.
  routes.use((req, _res, next) => next(req.method === 'OPTIONS' ? 'router' : undefined));
  // Parses only if the host app has not already.
  routes.use(express.json({ limit: '64kb' }));
  routes.use(express.urlencoded({ extended: false, limit: '64kb' })); // provider delivery reports are forms
  routes.use(answerBodyRefusals);
  routes.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Providers' delivery reports carry no user credentials; the SMS sender authenticates them.
  routes.post('/delivery/:provider/status', route(200, (req) => api.deliveryStatus(req)));
  routes.get('/delivery/:provider/status', route(200, (req) => api.deliveryStatus(req)));
  for (const handler of authenticate) routes.use(handler); // the host's own auth (e.g. passport-jwt), like its routes
  routes.post('/challenges/:challengeId/verify', route(200, (req, res) => api.verifyChallenge(req, res)));
  routes.post('/challenges/:challengeId/send', route(200, (req) => api.sendChallengeCode(req)));
  for (const channel of ['sms', 'email'] as const) {
    routes.post(`/${channel}/enrollments`, route(201, (req) => api.startDeliveryEnrollment(req, channel)));
    routes.post(`/${channel}/enrollments/:enrollmentId/resend`, route(200, (req) => api.resendDeliveryEnrollment(req, channel)));
    routes.post(`/${channel}/enrollments/:enrollmentId/confirm`, route(200, (req, res) => api.confirmDeliveryEnrollment(req, channel, res)));
  }
  routes.get('/enrollments', route(200, (req) => api.listEnrollments(req)));
  routes.delete('/enrollments/:enrollmentId', route(200, (req) => api.removeFactor(req)));
  routes.patch('/enrollments/:enrollmentId', route(200, (req) => api.renameFactor(req)));
  routes.get('/devices', route(200, (req) => api.listDevices(req)));
  routes.delete('/devices/:deviceId', route(200, (req) => api.revokeDevice(req)));
  routes.delete('/devices', route(200, (req) => api.revokeDevices(req)));
  routes.post('/sessions/revoke-others', route(200, (req) => api.revokeOtherSessions(req)));
  routes.post('/recovery/redeem', route(200, (req) => api.redeemRecoveryTicket(req)));
  routes.post('/totp/enrollments', route(201, (req) => api.startTotpEnrollment(req)));
  routes.post('/totp/enrollments/:enrollmentId/confirm', route(200, (req, res) => api.confirmTotpEnrollment(req, res)));
  routes.post('/backup-codes/regenerate', route(200, (req) => api.regenerateBackupCodes(req)));
  routes.get('/admin/policy/versions', route(200, (req) => api.listPolicyVersions(req)));
  routes.get('/admin/policy/versions/:version', route(200, (req) => api.getPolicyVersion(req)));
  routes.post('/admin/policy/versions', route(201, (req) => api.createPolicyVersion(req)));
  routes.post('/admin/policy/versions/:version/activate', route(200, (req) => api.activatePolicyVersion(req)));
  routes.post('/admin/policy/rollback', route(200, (req) => api.rollbackPolicy(req)));
  routes.post('/admin/policy/explain', route(200, (req) => api.explain(req)));
  routes.get('/admin/audit', route(200, (req) => api.queryAudit(req)));
  routes.get('/admin/users/:userId', route(200, (req) => api.adminViewUser(req)));
  routes.post('/admin/users/:userId/reenrollment', route(200, (req) => api.adminForceReenrollment(req)));
  routes.delete('/admin/users/:userId/enrollments/:enrollmentId', route(200, (req) => api.adminResetFactor(req)));
  routes.delete('/admin/users/:userId/devices/:deviceId', route(200, (req) => api.adminRevokeDevice(req)));
  routes.delete('/admin/users/:userId/devices', route(200, (req) => api.adminRevokeDevices(req)));
  routes.post('/admin/users/:userId/backup-codes', route(200, (req) => api.adminRegenerateBackupCodes(req)));
  routes.post('/admin/users/:userId/recovery-tickets', route(201, (req) => api.adminIssueRecoveryTicket(req)));
  routes.delete('/admin/users/:userId/lockout', route(200, (req) => api.adminClearLockout(req)));

  const router = express.Router();
  router.use(`/${prefix.replace(/^\/+|\/+$/g, '')}`, routes);
  return router;
}
