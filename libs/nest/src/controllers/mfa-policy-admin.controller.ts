import { Controller, Get, Header, HttpCode, Inject, Post, Req, Type, UseFilters } from '@nestjs/common';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest } from '../../../http/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';

/** Policy versions, activation, rollback and explain, for admins (the app's `authorizeAdmin` hook). */
export function createPolicyAdminController(prefix: string): Type {
  @Controller(`${prefix}/admin/policy`)
  @UseFilters(MfaExceptionFilter)
  class MfaPolicyAdminController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    @Get('versions') @Header('Cache-Control', 'no-store')
    versions(@Req() req: MfaRequest) {
      return this.api.listPolicyVersions(req);
    }

    @Get('versions/:version') @Header('Cache-Control', 'no-store')
    version(@Req() req: MfaRequest) {
      return this.api.getPolicyVersion(req);
    }

    @Post('versions') @HttpCode(201) @Header('Cache-Control', 'no-store')
    create(@Req() req: MfaRequest) {
      return this.api.createPolicyVersion(req);
    }

    @Post('versions/:version/activate') @HttpCode(200) @Header('Cache-Control', 'no-store')
    activate(@Req() req: MfaRequest) {
      return this.api.activatePolicyVersion(req);
    }

    @Post('rollback') @HttpCode(200) @Header('Cache-Control', 'no-store')
    rollback(@Req() req: MfaRequest) {
      return this.api.rollbackPolicy(req);
    }

    /** No side effects: what a user would face, by which rule of which version, and why. */
    @Post('explain') @HttpCode(200) @Header('Cache-Control', 'no-store')
    explain(@Req() req: MfaRequest) {
      return this.api.explain(req);
    }
  }
  return MfaPolicyAdminController;
}
