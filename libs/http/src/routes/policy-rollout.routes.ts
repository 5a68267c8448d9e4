import { PolicyDiffQueryDto, WhatIfDto } from '../dto/policy-admin.dto';
import type { MfaRoute } from '../mfa-routes';

/**
 * Rolling a policy version out safely: report-only runs change what is audited, so they take
 * a fresh verification and the CSRF check like activation; what-if and diff only read, like
 * explain. What-if is a POST (a candidate document rides in the body) that may read 50,000
 * events, so a cross-site page cannot make an admin's browser run it: it is CSRF-checked.
 */
export const POLICY_ROLLOUT_ROUTES: readonly MfaRoute[] = [
  {
    method: 'POST',
    path: '/admin/policy/versions/:version/report-only',
    status: 200,
    audience: 'policy',
    csrf: true,
    reauth: 'fresh',
    handler: (api, req) => api.policy.startReportOnly(req),
  },
  {
    method: 'DELETE',
    path: '/admin/policy/report-only',
    status: 200,
    audience: 'policy',
    csrf: true,
    reauth: 'fresh',
    handler: (api, req) => api.policy.stopReportOnly(req),
  },
  {
    method: 'POST',
    path: '/admin/policy/what-if',
    status: 200,
    audience: 'policy',
    csrf: true,
    reauth: 'verified',
    body: WhatIfDto,
    handler: (api, req) => api.policy.whatIf(req),
  },
  {
    method: 'GET',
    path: '/admin/policy/diff',
    status: 200,
    audience: 'policy',
    csrf: false,
    reauth: 'verified',
    query: PolicyDiffQueryDto,
    handler: (api, req) => api.policy.diff(req),
  },
];
