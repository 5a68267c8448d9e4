import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { MFA_ROUTES, MfaHttpApi } from '../../http/src';
import type { MfaRoute } from '../../http/src';
import { sendMfaError } from './send-mfa-error';
import { answerBodyRefusals } from './body-refusal.middleware';

type ExpressModule = typeof import('express');
type Verb = 'get' | 'post' | 'patch' | 'delete';

/** Express 4 does not catch rejected promises; every route answers its own errors. */
function route(status: number, run: (req: Request, res: Response) => Promise<unknown>): RequestHandler {
  return (req: Request, res: Response, _next: NextFunction) => {
    run(req, res)
      // A string is a text answer whose type the endpoint set (the compliance report's CSV).
      .then((body) => (typeof body === 'string' ? res.status(status).send(body) : res.status(status).json(body)))
      .catch((err) => sendMfaError(res, err));
  };
}

/** `MFA_ROUTES` under `prefix`: the same endpoints and answers as the Nest controllers. */
export function createMfaRouter(
  express: ExpressModule,
  prefix: string,
  api: MfaHttpApi,
  authenticate: RequestHandler[] = [],
): Router {
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
  const mount = (r: MfaRoute) =>
    routes[r.method.toLowerCase() as Verb](
      r.path,
      route(r.status, (req, res) => r.handler(api, req, res)),
    );
  // Providers' delivery reports carry no user credentials, so they come before the host's auth.
  for (const r of MFA_ROUTES) if (r.audience === 'delivery-report') mount(r);
  for (const handler of authenticate) routes.use(handler); // the host's own auth (e.g. passport-jwt), like its routes
  for (const r of MFA_ROUTES) if (r.audience !== 'delivery-report') mount(r);

  const router = express.Router();
  router.use(`/${prefix.replace(/^\/+|\/+$/g, '')}`, routes);
  return router;
}
