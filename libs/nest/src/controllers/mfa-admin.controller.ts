import { Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Type, UseFilters } from '@nestjs/common';
import { SkipMfa } from '../decorators/skip-mfa.decorator';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest } from '../../../http/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';

/** Policy versions, activation, rollback, explain and the audit trail, for admins (the app's `authorizeAdmin` hook). */
export function createAdminController(prefix: string): Type {
  @Controller(`${prefix}/admin`)
  @UseFilters(MfaExceptionFilter)
  @SkipMfa()
  class MfaAdminController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    @Get('policy/versions') @Header('Cache-Control', 'no-store')
    versions(@Req() req: MfaRequest) {
      return this.api.listPolicyVersions(req);
    }

    @Get('policy/versions/:version') @Header('Cache-Control', 'no-store')
    version(@Req() req: MfaRequest) {
      return this.api.getPolicyVersion(req);
    }

    @Post('policy/versions') @HttpCode(201) @Header('Cache-Control', 'no-store')
    create(@Req() req: MfaRequest) {
      return this.api.createPolicyVersion(req);
    }

    @Post('policy/versions/:version/activate') @HttpCode(200) @Header('Cache-Control', 'no-store')
    activate(@Req() req: MfaRequest) {
      return this.api.activatePolicyVersion(req);
    }

    @Post('policy/rollback') @HttpCode(200) @Header('Cache-Control', 'no-store')
    rollback(@Req() req: MfaRequest) {
      return this.api.rollbackPolicy(req);
    }

    /** No side effects: what a user would face, by which rule of which version, and why. */
    @Post('policy/explain') @HttpCode(200) @Header('Cache-Control', 'no-store')
    explain(@Req() req: MfaRequest) {
      return this.api.explain(req);
    }

    /** A user's MFA metadata: factors, backup codes left, trusted devices, lockout, enrollment state. */
    @Get('users/:userId') @Header('Cache-Control', 'no-store')
    user(@Req() req: MfaRequest) {
      return this.api.adminViewUser(req);
    }

    @Post('users/:userId/reenrollment') @HttpCode(200) @Header('Cache-Control', 'no-store')
    forceReenrollment(@Req() req: MfaRequest) {
      return this.api.adminForceReenrollment(req);
    }

    @Delete('users/:userId/enrollments/:enrollmentId') @HttpCode(200) @Header('Cache-Control', 'no-store')
    resetFactor(@Req() req: MfaRequest) {
      return this.api.adminResetFactor(req);
    }

    @Delete('users/:userId/devices/:deviceId') @HttpCode(200) @Header('Cache-Control', 'no-store')
    revokeDevice(@Req() req: MfaRequest) {
      return this.api.adminRevokeDevice(req);
    }

    @Delete('users/:userId/devices') @HttpCode(200) @Header('Cache-Control', 'no-store')
    revokeDevices(@Req() req: MfaRequest) {
      return this.api.adminRevokeDevices(req);
    }

    /** Returned once, to hand to the user out of band. */
    @Post('users/:userId/backup-codes') @HttpCode(200) @Header('Cache-Control', 'no-store')
    backupCodes(@Req() req: MfaRequest) {
      return this.api.adminRegenerateBackupCodes(req);
    }

    /** After verifying the user's identity out of band: a single-use, time-limited ticket, returned once. */
    @Post('users/:userId/recovery-tickets') @HttpCode(201) @Header('Cache-Control', 'no-store')
    recoveryTicket(@Req() req: MfaRequest) {
      return this.api.adminIssueRecoveryTicket(req);
    }

    @Delete('users/:userId/lockout') @HttpCode(200) @Header('Cache-Control', 'no-store')
    clearLockout(@Req() req: MfaRequest) {
      return this.api.adminClearLockout(req);
    }

    /** Newest first, filtered by user, type and time, paginated with `cursor`. */
    @Get('audit') @Header('Cache-Control', 'no-store')
    audit(@Req() req: MfaRequest) {
      return this.api.queryAudit(req);
    }
  }
  return MfaAdminController;
}
