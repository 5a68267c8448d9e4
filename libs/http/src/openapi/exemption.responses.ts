import type { JsonSchema } from './dto-schema';
import { arrayOf, enumOf, NON_EMPTY, nullable, object, ref, TIME, UUID } from './json-schema.helpers';
import type { RouteResponse } from './user-routes.responses';

/** The shapes the exemption routes answer with, without the `Mfa` prefix. */
export const EXEMPTION_SCHEMAS: Record<string, JsonSchema> = {
  Exemption: object({
    id: UUID,
    userId: NON_EMPTY,
    scope: enumOf(['enrollment', 'rule']),
    ruleId: nullable(NON_EMPTY),
    reason: NON_EMPTY,
    grantedBy: NON_EMPTY,
    createdAt: TIME,
    expiresAt: TIME,
    revokedAt: nullable(TIME),
    revokedBy: nullable(NON_EMPTY),
    status: enumOf(['active', 'superseded', 'expired', 'revoked']),
  }),
  ExemptionList: object({ exemptions: arrayOf(ref('Exemption')) }),
};

/** `EXEMPTION_ROUTES`, keyed `${method} ${path}`. */
export const EXEMPTION_ROUTE_RESPONSES: Record<string, RouteResponse> = {
  'GET /admin/users/:userId/exemptions': {
    summary: "The user's exemptions, newest first: in force, expired and revoked (until retention prunes them)",
    schema: ref('ExemptionList'),
    errors: ['EXEMPTIONS_UNAVAILABLE'],
  },
  'POST /admin/users/:userId/exemptions': {
    summary:
      'Exempt the user from mandatory enrollment or one policy rule, for at most 90 days, with a reason; audited and notified. An administrator cannot exempt themselves',
    schema: ref('Exemption'),
    errors: ['EXEMPTION_SELF', 'EXEMPTIONS_UNAVAILABLE'],
  },
  'DELETE /admin/users/:userId/exemptions/:exemptionId': {
    summary: 'End an exemption in force at once; audited and notified',
    schema: ref('Exemption'),
    errors: ['EXEMPTION_NOT_FOUND', 'EXEMPTIONS_UNAVAILABLE'],
  },
};
