import type { MfaErrorCode } from '../../../core/src';
import type { MfaRoute, MfaRouteAudience, MfaRouteReauth } from '../mfa-routes';
import { dtoSchema, DtoClass, JsonSchema } from './dto-schema';
import { COMPONENT_PREFIX, ref } from './json-schema.helpers';
import { errorResponseSchema } from './mfa-error.schemas';
import { errorCodesByStatus, routeResponse } from './response-schemas';

/** A security requirement object: scheme name → scopes. */
export type SecurityRequirement = Record<string, string[]>;

export const dtoComponentName = (dto: DtoClass): string => `${COMPONENT_PREFIX}${dto.name}`;

export const TAGS: Record<MfaRouteAudience, { name: string; description: string }> = {
  challenge: { name: 'MFA challenges', description: "Answering a challenge of the caller's session" },
  enrollment: { name: 'MFA enrollment', description: "The signed-in user's factors and backup codes" },
  'self-service': { name: 'MFA self-service', description: 'Trusted browsers, other sessions, recovery tickets' },
  admin: { name: 'MFA admin', description: 'A verified administrator acting on one user' },
  policy: { name: 'MFA policy', description: 'Policy versions, explain and the audit trail, for administrators' },
  'delivery-report': { name: 'MFA delivery reports', description: "SMS providers' delivery reports (no session)" },
};

const REAUTH: Record<MfaRouteReauth, string> = {
  none: '',
  verified: "Needs the caller's own MFA in this session, of any age; else 401 MFA_REQUIRED with a challenge.",
  fresh: 'Needs a verification within `reauthMaxAge` (default 300 s); else 401 MFA_REQUIRED with a challenge.',
  'fresh-if-enrolled':
    'Needs a verification within `reauthMaxAge` once the user has a factor (else 401 MFA_REQUIRED); the first factor needs none.',
};

function description(route: MfaRoute): string {
  const lines = [
    route.audience === 'delivery-report'
      ? "No session: the SMS sender authenticates the provider (Twilio's signature, Vonage's URL token); else 403."
      : "Needs the host app's signed-in user (session cookie or token); else 401 UNAUTHENTICATED.",
    route.audience === 'admin' || route.audience === 'policy'
      ? 'Administrators only (`authorizeAdmin`); else 403 MFA_ADMIN_FORBIDDEN.'
      : '',
    REAUTH[route.reauth],
    route.csrf
      ? 'A state change: a cross-site browser request (Origin, Sec-Fetch-Site) is refused with 403 CSRF_REJECTED first.'
      : '',
  ];
  return lines.filter(Boolean).join('\n\n');
}

/** `/challenges/:challengeId/verify` → `mfaPostChallengesByChallengeIdVerify`. */
function operationId(route: MfaRoute): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `By-${part.slice(1)}` : part));
  const camel = [route.method.toLowerCase(), ...words]
    .join('-')
    .replace(/-+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
  return `mfa${camel[0].toUpperCase()}${camel.slice(1)}`;
}

const PARAMS: Record<string, { schema: JsonSchema; description: string }> = {
  userId: { schema: { type: 'string', minLength: 1, maxLength: 191 }, description: "Your app's user id" },
  version: { schema: { type: 'integer', minimum: 1, maximum: 999_999_999 }, description: 'A policy version number' },
  provider: { schema: { type: 'string', minLength: 1 }, description: 'The SMS sender, e.g. `twilio` or `vonage`' },
};

function pathParameters(route: MfaRoute): object[] {
  return [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    // Any other id simply is not found (404, or 401 INVALID_CODE where no oracle is allowed).
    ...(PARAMS[name] ?? {
      schema: { type: 'string', minLength: 1 },
      description: `The ${name} from an earlier MFA answer`,
    }),
  }));
}

const FREE_FORM: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };

function queryParameters(route: MfaRoute): object[] {
  if (route.audience === 'delivery-report' && route.method === 'GET')
    return [{ name: 'report', in: 'query', style: 'form', explode: true, schema: FREE_FORM }];
  if (!route.query) return [];
  const schema = dtoSchema(route.query);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

function requestBody(route: MfaRoute): object | undefined {
  if (route.audience === 'delivery-report' && route.method === 'POST') {
    return {
      content: {
        'application/x-www-form-urlencoded': { schema: FREE_FORM },
        'application/json': { schema: FREE_FORM },
      },
    };
  }
  if (!route.body) return undefined;
  // A body whose fields are all optional may be left out: it is validated as `{}`.
  const required = (dtoSchema(route.body).required ?? []).length > 0;
  return { required, content: { 'application/json': { schema: ref(route.body.name) } } };
}

function errorResponse(codes: MfaErrorCode[]): object {
  const headers: Record<string, object> = {};
  if (codes.includes('MFA_REQUIRED'))
    headers['WWW-Authenticate'] = {
      description:
        'With MFA_REQUIRED: `MFA realm="mfa", error="insufficient_user_authentication", challenge="…"` (RFC 9470)',
      schema: { type: 'string' },
    };
  if (
    codes.some((c) =>
      ['MFA_LOCKED', 'RESEND_TOO_SOON', 'RATE_LIMITED', 'DELIVERY_LIMIT_REACHED', 'MFA_UNAVAILABLE'].includes(c),
    )
  )
    headers['Retry-After'] = {
      description: 'Seconds to wait before trying again',
      schema: { type: 'integer', minimum: 1 },
    };
  return {
    description: codes.join(', '),
    ...(Object.keys(headers).length ? { headers } : {}),
    content: { 'application/json': { schema: errorResponseSchema(codes) } },
  };
}

/** One route as an OpenAPI operation. `security`: the host's requirement for signed-in routes, when it names one. */
export function operationOf(route: MfaRoute, security?: SecurityRequirement[]): Record<string, unknown> {
  const response = routeResponse(route);
  const responses: Record<string, object> = {
    [route.status]: {
      description: response.summary,
      ...(response.headers ? { headers: response.headers } : {}),
      content: {
        'application/json': { schema: response.schema },
        ...(response.text ? { [response.text]: { schema: { type: 'string' } } } : {}),
      },
    },
  };
  for (const [status, codes] of errorCodesByStatus(route)) responses[status] = errorResponse(codes);
  const parameters = [...pathParameters(route), ...queryParameters(route)];
  const body = requestBody(route);
  const delivery = route.audience === 'delivery-report';
  return {
    tags: [TAGS[route.audience].name],
    summary: response.summary,
    description: description(route),
    operationId: operationId(route),
    ...(parameters.length ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
    // Delivery reports carry no user credentials; the others take whatever the host's own routes take.
    ...(delivery ? { security: [] } : security ? { security } : {}),
    'x-mfa-audience': route.audience,
    'x-mfa-csrf': route.csrf,
    'x-mfa-reauth': route.reauth,
  };
}
