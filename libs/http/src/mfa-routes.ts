import type { MfaResponse } from './cookies';
import type { MfaHttpApi } from './mfa-http-api';
import type { MfaRequest } from './subject-resolvers';
import { ADMIN_ROUTES } from './routes/admin.routes';
import { EXEMPTION_ROUTES } from './routes/exemption.routes';
import { POLICY_ROLLOUT_ROUTES } from './routes/policy-rollout.routes';
import { USER_ROUTES } from './routes/user.routes';

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
  ...USER_ROUTES,
  ...ADMIN_ROUTES,
  ...EXEMPTION_ROUTES,
  ...POLICY_ROLLOUT_ROUTES,
];
