import { Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Res, Type, UseFilters } from '@nestjs/common';
import { SkipMfa } from '../decorators/skip-mfa.decorator';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest, MfaResponse } from '../../../http/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';
import { ExcludeFromSwagger } from './exclude-from-swagger';

/**
 * An admin on one user, and on the policy and audit trail (the app's `authorizeAdmin` hook).
 * Method, path and status must match `MFA_ROUTES` (test/architecture/route-table.spec.ts).
 */
export function createAdminController(prefix: string): Type {
  @Controller(`${prefix}/admin`)
  @ExcludeFromSwagger()
  @UseFilters(MfaExceptionFilter)
  @SkipMfa()
  class MfaAdminController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    @Get('policy/versions')
    @Header('Cache-Control', 'no-store')
    versions(@Req() req: MfaRequest) {
      return this.api.policy.listVersions(req);
    }

    @Get('policy/versions/:version')
    @Header('Cache-Control', 'no-store')
    version(@Req() req: MfaRequest) {
      return this.api.policy.getVersion(req);
    }

    @Post('policy/versions')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    create(@Req() req: MfaRequest) {
      return this.api.policy.createVersion(req);
    }

    @Post('policy/versions/:version/activate')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    activate(@Req() req: MfaRequest) {
      return this.api.policy.activateVersion(req);
    }

    @Post('policy/rollback')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    rollback(@Req() req: MfaRequest) {
      return this.api.policy.rollback(req);
    }

    /** Decided beside the active version and audited where it disagrees; never enforced. */
    @Post('policy/versions/:version/report-only')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    startReportOnly(@Req() req: MfaRequest) {
      return this.api.policy.startReportOnly(req);
    }

    @Delete('policy/report-only')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    stopReportOnly(@Req() req: MfaRequest) {
      return this.api.policy.stopReportOnly(req);
    }

    /** Replays the recorded decisions of a window under a candidate; writes nothing. */
    @Post('policy/what-if')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    whatIf(@Req() req: MfaRequest) {
      return this.api.policy.whatIf(req);
    }

    @Get('policy/diff')
    @Header('Cache-Control', 'no-store')
    diff(@Req() req: MfaRequest) {
      return this.api.policy.diff(req);
    }

    /** No side effects: what a user would face, by which rule of which version, and why. */
    @Post('policy/explain')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    explain(@Req() req: MfaRequest) {
      return this.api.policy.explain(req);
    }

    /** A user's MFA metadata: factors, backup codes left, trusted devices, lockout, enrollment state. */
    @Get('users/:userId')
    @Header('Cache-Control', 'no-store')
    user(@Req() req: MfaRequest) {
      return this.api.admin.viewUser(req);
    }

    @Post('users/:userId/reenrollment')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    forceReenrollment(@Req() req: MfaRequest) {
      return this.api.admin.forceReenrollment(req);
    }

    @Delete('users/:userId/enrollments/:enrollmentId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    resetFactor(@Req() req: MfaRequest) {
      return this.api.admin.resetFactor(req);
    }

    @Delete('users/:userId/devices/:deviceId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revokeDevice(@Req() req: MfaRequest) {
      return this.api.admin.revokeDevice(req);
    }

    @Delete('users/:userId/devices')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revokeDevices(@Req() req: MfaRequest) {
      return this.api.admin.revokeDevices(req);
    }

    /** Returned once, to hand to the user out of band. */
    @Post('users/:userId/backup-codes')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    backupCodes(@Req() req: MfaRequest) {
      return this.api.admin.regenerateBackupCodes(req);
    }

    /** After verifying the user's identity out of band: a single-use, time-limited ticket, returned once. */
    @Post('users/:userId/recovery-tickets')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    recoveryTicket(@Req() req: MfaRequest) {
      return this.api.admin.issueRecoveryTicket(req);
    }

    @Delete('users/:userId/lockout')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    clearLockout(@Req() req: MfaRequest) {
      return this.api.admin.clearLockout(req);
    }

    /** Every user the store knows: missing, weak-only and running-out factors; `?format=csv` as text/csv. */
    @Get('compliance')
    @Header('Cache-Control', 'no-store')
    compliance(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.admin.compliance(req, res);
    }

    /** Newest first, filtered by user, type and time, paginated with `cursor`. */
    @Get('audit')
    @Header('Cache-Control', 'no-store')
    audit(@Req() req: MfaRequest) {
      return this.api.policy.queryAudit(req);
    }
  }
  return MfaAdminController;
}
