import { GrantExemptionDto } from '../dto/exemption.dto';
import type { MfaRoute } from '../mfa-routes';

/** An admin's time-boxed exemptions of one user: reads as `GET /admin/users/:userId`, changes as its writes. */
export const EXEMPTION_ROUTES: readonly MfaRoute[] = [
  {
    method: 'GET',
    path: '/admin/users/:userId/exemptions',
    status: 200,
    audience: 'admin',
    csrf: false,
    reauth: 'verified',
    handler: (api, req) => api.exemptions.list(req),
  },
  {
    method: 'POST',
    path: '/admin/users/:userId/exemptions',
    status: 201,
    audience: 'admin',
    csrf: true,
    reauth: 'fresh',
    body: GrantExemptionDto,
    handler: (api, req) => api.exemptions.grant(req),
  },
  {
    method: 'DELETE',
    path: '/admin/users/:userId/exemptions/:exemptionId',
    status: 200,
    audience: 'admin',
    csrf: true,
    reauth: 'fresh',
    handler: (api, req) => api.exemptions.revoke(req),
  },
];
