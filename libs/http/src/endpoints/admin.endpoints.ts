import { complianceCsv } from '../../../core/src/compliance/compliance-csv';
import { DEFAULT_COMPLIANCE_PAGE } from '../../../core/src/compliance/compliance-report';
import type { AdminAccess } from '../admin-access';
import type { MfaResponse } from '../cookies';
import { ComplianceQueryDto } from '../dto/compliance-query.dto';
import { IssueRecoveryTicketDto } from '../dto/lifecycle.dto';
import type { MfaRequest } from '../subject-resolvers';
import { validateBody } from '../validate-body';
import { EndpointContext, param } from './endpoint.context';

/** A verified admin acting on one user (`/admin/users/:userId/...`): reads need any factor, changes a fresh one. */
export class AdminEndpoints {
  constructor(
    private readonly ctx: EndpointContext,
    private readonly access: AdminAccess,
  ) {}

  /** A user's MFA metadata: factors, backup codes left, trusted devices, lockout, enrollment state. */
  async viewUser(req: MfaRequest) {
    const { userId } = await this.access.overUser(req, false);
    return (await this.ctx.engine()).adminViewUser(userId);
  }

  async forceReenrollment(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    await (await this.ctx.engine()).adminForceReenrollment(admin, userId);
    return { reenrollmentForced: true as const, otherSessions: await this.ctx.sessionsOffer(userId) };
  }

  async resetFactor(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    await (await this.ctx.engine()).adminResetFactor(admin, userId, param(req, 'enrollmentId'));
    return { removed: true as const, otherSessions: await this.ctx.sessionsOffer(userId) };
  }

  async revokeDevice(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    await (await this.ctx.engine()).adminRevokeDevice(admin, userId, param(req, 'deviceId'));
    return { revoked: 1 };
  }

  async revokeDevices(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    return { revoked: await (await this.ctx.engine()).adminRevokeDevices(admin, userId) };
  }

  /** Returned once, to hand to the user out of band. */
  async regenerateBackupCodes(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    return { backupCodes: await (await this.ctx.engine()).adminRegenerateBackupCodes(admin, userId) };
  }

  /** After verifying the user's identity out of band: a single-use, time-limited ticket, returned once. */
  async issueRecoveryTicket(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    const body = await validateBody(IssueRecoveryTicketDto, req.body ?? {});
    return (await this.ctx.engine()).adminIssueRecoveryTicket(admin, userId, body.reason, body.ttlHours);
  }

  /**
   * The compliance report over the users the store knows, a page at a time so one answer stays
   * bounded on any store (the host's whole directory is the CLI's `--users` or
   * `engine.complianceReport({ directory })`); `?format=csv` as text/csv, the next page's
   * cursor then in `MFA-Next-Cursor`.
   */
  async compliance(req: MfaRequest, res?: MfaResponse) {
    await this.access.check(req, false);
    const { format, limit, cursor } = await validateBody(ComplianceQueryDto, { ...(req.query ?? {}) });
    const page = { limit: limit === undefined ? DEFAULT_COMPLIANCE_PAGE : Number(limit), cursor };
    const report = await (await this.ctx.engine()).complianceReport(page);
    if (format !== 'csv') return report;
    res?.setHeader?.('Content-Type', 'text/csv; charset=utf-8');
    if (report.nextCursor) res?.setHeader?.('MFA-Next-Cursor', report.nextCursor);
    return complianceCsv(report);
  }

  async clearLockout(req: MfaRequest) {
    const { admin, userId } = await this.access.overUser(req, true);
    await (await this.ctx.engine()).adminClearLockout(admin, userId);
    return { cleared: true as const };
  }
}
