import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { MfaEngine } from '../../core/src';
import { ConfirmEnrollmentDto, requireSubject, ResolveSubject, StartEnrollmentDto, validateBody, VerifyChallengeDto } from '../../http/src';
import { sendMfaError } from './send-mfa-error';

type ExpressModule = typeof import('express');

/** Express 4 does not catch rejected promises; every handler answers its own errors. */
function handle(run: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return (req: Request, res: Response, _next: NextFunction) => {
    run(req, res).catch((err) => sendMfaError(res, err));
  };
}

/** The same endpoints, bodies and answers as the Nest controllers, under `prefix`. */
export function createMfaRouter(express: ExpressModule, prefix: string, engine: () => Promise<MfaEngine>, resolveSubject: ResolveSubject): Router {
  const routes = express.Router();
  // Parses only if the host app has not already; a broken body goes to the host's error handler, as in Nest.
  routes.use(express.json({ limit: '16kb' }));
  routes.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  const subject = (req: Request) => requireSubject(resolveSubject, req);

  routes.post('/challenges/:challengeId/verify', handle(async (req, res) => {
    const who = await subject(req);
    const body = await validateBody(VerifyChallengeDto, req.body);
    const result = await (await engine()).verifyChallenge(who, String(req.params.challengeId), body.method, body.code);
    res.status(200).json({ verified: true, ...result });
  }));

  routes.get('/enrollments', handle(async (req, res) => {
    res.status(200).json(await (await engine()).listEnrollments(await subject(req)));
  }));

  routes.post('/totp/enrollments', handle(async (req, res) => {
    const who = await subject(req);
    const body = await validateBody(StartEnrollmentDto, req.body);
    res.status(201).json(await (await engine()).startTotpEnrollment(who, body.label));
  }));

  routes.post('/totp/enrollments/:enrollmentId/confirm', handle(async (req, res) => {
    const who = await subject(req);
    const body = await validateBody(ConfirmEnrollmentDto, req.body);
    res.status(200).json(await (await engine()).confirmTotpEnrollment(who, String(req.params.enrollmentId), body.code));
  }));

  routes.post('/backup-codes/regenerate', handle(async (req, res) => {
    res.status(200).json({ backupCodes: await (await engine()).regenerateBackupCodes(await subject(req)) });
  }));

  const router = express.Router();
  router.use(`/${prefix.replace(/^\/+|\/+$/g, '')}`, routes);
  return router;
}
