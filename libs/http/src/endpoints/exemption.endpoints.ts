import { MfaError } from '../../../core/src';
import type { AdminAccess } from '../admin-access';
import { GrantExemptionDto } from '../dto/exemption.dto';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

/**
 * A verified admin's time-boxed exemptions of one user (`/admin/users/:userId/exemptions`):
 * the list needs any factor, a grant or a revocation a fresh one, as every admin change does.
 * The time box, the reason and the scope are checked in the core, whoever calls it.
 */
export class ExemptionEndpoints {
  constructor(
    private readonly ctx: EndpointContext,
    private readonly access: AdminAccess,
  ) {}

  async list(req: MfaRequest) {
    const { userId } = await this.access.overUser(req, false);
    return { exemptions: await (await this.ctx.engine()).exemptions.list(userId) };
  }

  async grant(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    const body = await validateBody(GrantExemptionDto, req.body ?? {});
    const expiresAt = body.expiresAt === undefined ? undefined : Date.parse(body.expiresAt);
    if (expiresAt !== undefined && !Number.isFinite(expiresAt))
      throw new MfaError('VALIDATION_FAILED', { errors: [{ field: 'expiresAt', problems: ['not an instant'] }] });
    return (await this.ctx.engine()).exemptions.grant(admin, userId, {
      scope: body.scope,
      ruleId: body.ruleId,
      reason: body.reason,
      days: body.days,
      expiresAt,
    });
  }

  async revoke(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    return (await this.ctx.engine()).exemptions.revoke(admin, userId, param(req, 'exemptionId'));
  }
}
