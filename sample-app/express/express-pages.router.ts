import type { Request, RequestHandler, Response, Router } from 'express';
import type { MfaExpress } from '../../src/express';
import { refusalPage } from '../shared/pages/page-refusal';
import type { PageResult } from '../shared/pages/page-response';
import { sendPage } from '../shared/pages/page-response';
import { SamplePages } from '../shared/pages/sample-pages';
import { sendAsset } from '../shared/pages/static-assets';
import { apiDocsPage, sampleOpenApi } from '../shared/pages/api-docs.page';
import { sendClientEntry, sendClientModule, sendVendorModule } from '../shared/pages/client-modules';

/**
 * MFA's middleware writes its refusal as JSON itself (the contract both adapters share). On a
 * page, this answers that same refusal as HTML instead: the challenge page for 401
 * MFA_REQUIRED, a redirect to sign-in for 401 UNAUTHENTICATED. The Nest sample does this with
 * PageRefusalFilter; both render through refusalPage, so the two samples answer alike.
 */
const refusalsAsPages: RequestHandler = (req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode < 400) return json(body);
    sendPage(res, refusalPage(res.statusCode, body, req));
    return res;
  };
  next();
};

/** The HTML pages and their assets, each behind the same middleware as the Nest sample's decorators. */
export function samplePagesRouter(express: typeof import('express'), mfa: MfaExpress, pages: SamplePages): Router {
  const router = express.Router();
  const page =
    (render: (req: Request) => PageResult | Promise<PageResult>): RequestHandler =>
    (req: Request, res: Response, next) =>
      Promise.resolve()
        .then(() => render(req))
        .then((result) => sendPage(res, result), next);

  router.get('/assets/:file', (req, res, next) => void sendAsset(res, String(req.params.file)).catch(next));
  // The browser client the page scripts import, compiled from its sources (client-modules.ts).
  router.get('/assets/client/src/:file', (req, res, next) => void sendClientEntry(res, req.params.file).catch(next));
  router.get(
    '/assets/client/libs/client/src/:file',
    (req, res, next) => void sendClientModule(res, req.params.file).catch(next),
  );
  router.get(
    '/assets/vendor/simplewebauthn/:file',
    (req, res, next) => void sendVendorModule(res, req.params.file).catch(next),
  );
  router.get(
    '/assets/vendor/simplewebauthn/:dir/:file',
    (req, res, next) => void sendVendorModule(res, req.params.file, req.params.dir).catch(next),
  );
  router.get('/openapi.json', (_req, res) => void res.json(sampleOpenApi()));
  router.get('/docs', (_req, res) => sendPage(res, { status: 200, html: apiDocsPage() }));
  router.get(
    '/ui',
    page((req) => pages.home(req)),
  );
  router.get(
    '/ui/sign-in',
    page((req) => pages.signIn(req)),
  );
  router.get(
    '/ui/enroll',
    page((req) => pages.enroll(req)),
  );
  router.get(
    '/ui/profile',
    page((req) => pages.profile(req)),
  );
  router.get(
    '/ui/password',
    page((req) => pages.password(req)),
  );
  router.get(
    '/ui/recovery',
    page((req) => pages.recovery(req)),
  );
  router.get(
    '/ui/admin',
    page((req) => pages.admin(req)),
  );
  router.get(
    '/ui/outbox',
    page((req) => pages.devOutbox(req)),
  );
  router.get(
    '/ui/secure',
    refusalsAsPages,
    mfa.requireMfa(),
    page((req) => pages.secure(req)),
  );
  router.get(
    '/ui/payments',
    refusalsAsPages,
    mfa.protect({ service: 'payments' }),
    page((req) => pages.payments(req)),
  );
  router.get(
    '/ui/verify',
    refusalsAsPages,
    mfa.stepUp({ maxAge: 300 }),
    page((req) => pages.verified(req)),
  );
  router.get(
    '/ui/verify/passkey',
    refusalsAsPages,
    mfa.stepUp({ maxAge: 300, factors: ['webauthn'] }),
    page((req) => pages.verified(req)),
  );
  return router;
}
