import type { MfaTarget, RequirementInput } from '../../../core/src';
import { buildRequirement, MfaConfigurationError, MfaError } from '../../../core/src';
import type { AdminAccess } from '../admin-access';
import { AuditQueryDto } from '../dto/audit-query.dto';
import { CreatePolicyVersionDto, ExplainDto, PolicyDiffQueryDto, WhatIfDto } from '../dto/policy-admin.dto';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

/** Policy versions, activation, rollback, explain and the audit trail, for verified admins. */
export class PolicyAdminEndpoints {
  constructor(
    private readonly ctx: EndpointContext,
    private readonly access: AdminAccess,
  ) {}

  async listVersions(req: MfaRequest) {
    await this.access.check(req, false);
    return { versions: await (await this.ctx.engine()).listPolicyVersions() };
  }

  async getVersion(req: MfaRequest) {
    await this.access.check(req, false);
    return (await this.ctx.engine()).getPolicyVersion(versionParam(req));
  }

  async createVersion(req: MfaRequest) {
    const admin = await this.access.check(req, true);
    const body = await validateBody(CreatePolicyVersionDto, req.body);
    return (await this.ctx.engine()).createPolicyVersion(body.document, admin.userId, body.comment);
  }

  async activateVersion(req: MfaRequest) {
    const admin = await this.access.check(req, true);
    return (await this.ctx.engine()).activatePolicyVersion(versionParam(req), admin.userId);
  }

  async rollback(req: MfaRequest) {
    const admin = await this.access.check(req, true);
    return (await this.ctx.engine()).rollbackPolicy(admin.userId);
  }

  /** Runs a stored version report-only beside the active one: decided and audited, never enforced. */
  async startReportOnly(req: MfaRequest) {
    const admin = await this.access.check(req, true);
    return (await this.ctx.engine()).startReportOnlyPolicy(versionParam(req), admin.userId);
  }

  async stopReportOnly(req: MfaRequest) {
    const admin = await this.access.check(req, true);
    return (await this.ctx.engine()).stopReportOnlyPolicy(admin.userId);
  }

  /** Reads the audit trail and writes nothing: what a candidate would have decided differently, and the coverage. */
  async whatIf(req: MfaRequest) {
    this.ctx.sameOrigin(req); // a read, but a costly one: no cross-site page may start it
    await this.access.check(req, false);
    const body = await validateBody(WhatIfDto, req.body);
    return (await this.ctx.engine()).whatIf({
      version: body.version,
      document: body.document,
      from: Date.parse(body.from),
      to: Date.parse(body.to),
      top: body.top,
    });
  }

  /** `?from=&to=`: changed requirements per service, operation, rule and setting. */
  async diff(req: MfaRequest) {
    await this.access.check(req, false);
    const q = await validateBody(PolicyDiffQueryDto, { ...(req.query ?? {}) });
    return (await this.ctx.engine()).diffPolicyVersions(Number(q.from), Number(q.to));
  }

  /** No side effects: the decision, the rule, the version, the reasons and every layer of the requirement. */
  async explain(req: MfaRequest) {
    await this.access.check(req, false);
    const body = await validateBody(ExplainDto, req.body);
    const { requirement, ...mapping } = body.target ?? {};
    const target: MfaTarget = requirement ? { ...mapping, requirement: requirementOf(requirement) } : { ...mapping };
    return (await this.ctx.engine()).explain({ userId: body.userId, groups: body.groups }, target, {
      ...(body.context ?? {}),
    });
  }

  /** The audit trail, newest first: `?userId=&type=&from=&to=&limit=&cursor=`. */
  async queryAudit(req: MfaRequest) {
    await this.access.check(req, false);
    const q = await validateBody(AuditQueryDto, { ...(req.query ?? {}) });
    const page = await (
      await this.ctx.engine()
    ).queryAudit({
      userId: q.userId,
      type: q.type,
      cursor: q.cursor,
      from: q.from ? Date.parse(q.from) : undefined,
      to: q.to ? Date.parse(q.to) : undefined,
      limit: q.limit ? Number(q.limit) : undefined,
    });
    // Every time in the HTTP contract is ISO 8601; the store and the sinks keep epoch ms.
    return { ...page, events: page.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  }
}

/** Digits only, and no more than the store's integer holds; anything else is simply not found. */
function versionParam(req: MfaRequest): number {
  const raw = param(req, 'version');
  if (!/^\d{1,9}$/.test(raw)) throw new MfaError('POLICY_VERSION_NOT_FOUND');
  return Number(raw);
}

/** A requirement an admin asks about; one the decorators would refuse at boot is a 400 here, not a 500. */
function requirementOf(input: RequirementInput) {
  try {
    return buildRequirement({ ...input });
  } catch (err) {
    if (!(err instanceof MfaConfigurationError)) throw err;
    throw new MfaError('VALIDATION_FAILED', { errors: [{ field: 'target.requirement', problems: [err.message] }] });
  }
}
