import type { MfaErrorCode } from '../../../core/src';
import type { MfaRoute } from '../mfa-routes';
import { ADMIN_ROUTE_RESPONSES } from './admin-routes.responses';
import { COMPLIANCE_SCHEMAS } from './compliance.schemas';
import type { JsonSchema } from './dto-schema';
import { EXEMPTION_ROUTE_RESPONSES, EXEMPTION_SCHEMAS } from './exemption.responses';
import { ALL_ERROR_CODES, ERROR_SCHEMAS, statusOf } from './mfa-error.schemas';
import { VIEW_SCHEMAS } from './mfa-views.schemas';
import { POLICY_VIEW_SCHEMAS } from './policy-views.schemas';
import { POLICY_ROLLOUT_RESPONSES } from './policy-rollout.responses';
import { POLICY_ROLLOUT_SCHEMAS } from './policy-rollout.schemas';
import { RouteResponse, USER_ROUTE_RESPONSES } from './user-routes.responses';

export type { RouteResponse } from './user-routes.responses';

/** Every route's success body and own refusals, keyed `${method} ${path}` as in `MFA_ROUTES`. */
export const ROUTE_RESPONSES: Readonly<Record<string, RouteResponse>> = {
  ...USER_ROUTE_RESPONSES,
  ...ADMIN_ROUTE_RESPONSES,
  ...EXEMPTION_ROUTE_RESPONSES,
  ...POLICY_ROLLOUT_RESPONSES,
};

/** The shapes the routes share, without the `Mfa` prefix the document gives them. */
export const RESPONSE_COMPONENTS: Readonly<Record<string, JsonSchema>> = {
  ...VIEW_SCHEMAS,
  ...POLICY_VIEW_SCHEMAS,
  ...POLICY_ROLLOUT_SCHEMAS,
  ...EXEMPTION_SCHEMAS,
  ...ERROR_SCHEMAS,
  ...COMPLIANCE_SCHEMAS,
};

export const routeKey = (route: Pick<MfaRoute, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export function routeResponse(route: MfaRoute): RouteResponse {
  const response = ROUTE_RESPONSES[routeKey(route)];
  if (!response)
    throw new Error(`OpenAPI: no response schema for ${routeKey(route)}; add it to the route's audience file`);
  return response;
}

/**
 * The refusals a route shares with others, read from its columns in `MFA_ROUTES`:
 * - every route: MFA_UNAVAILABLE (MFA fails closed);
 * - a signed-in caller: UNAUTHENTICATED, and VALIDATION_FAILED for a user id the store cannot keep;
 * - a body or query: VALIDATION_FAILED and PAYLOAD_TOO_LARGE (a body also UNSUPPORTED_MEDIA_TYPE);
 * - `csrf`: CSRF_REJECTED;
 * - `reauth` other than `none`: the step-up refusals (MFA_REQUIRED, MFA_DENIED, MFA_ENROLLMENT_REQUIRED);
 * - admin and policy routes: MFA_ADMIN_FORBIDDEN, and on `/admin/users/:userId` USER_NOT_FOUND.
 */
export function sharedErrorCodes(route: MfaRoute): MfaErrorCode[] {
  const codes: MfaErrorCode[] = ['MFA_UNAVAILABLE'];
  const delivery = route.audience === 'delivery-report';
  if (!delivery) codes.push('UNAUTHENTICATED', 'VALIDATION_FAILED');
  // Providers post forms: MFA's parser refuses a broken one like any body.
  if (route.body || (delivery && route.method === 'POST'))
    codes.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (route.query) codes.push('VALIDATION_FAILED', 'PAYLOAD_TOO_LARGE');
  if (route.csrf) codes.push('CSRF_REJECTED');
  if (route.reauth !== 'none') codes.push('MFA_REQUIRED', 'MFA_DENIED', 'MFA_ENROLLMENT_REQUIRED');
  if (route.audience === 'admin' || route.audience === 'policy') codes.push('MFA_ADMIN_FORBIDDEN');
  if (route.path.startsWith('/admin/users/:userId')) codes.push('USER_NOT_FOUND');
  return codes;
}

/** Every code a route may answer with, by status (ascending), each list in registry order. */
export function errorCodesByStatus(route: MfaRoute): Map<number, MfaErrorCode[]> {
  const codes = new Set([...sharedErrorCodes(route), ...routeResponse(route).errors]);
  const byStatus = new Map<number, MfaErrorCode[]>();
  for (const code of ALL_ERROR_CODES.filter((c) => codes.has(c))) {
    byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}
