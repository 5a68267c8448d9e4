import { Controller, Delete, Get, Header, HttpCode, Inject, Post, Req, Type, UseFilters } from '@nestjs/common';
import { SkipMfa } from '../decorators/skip-mfa.decorator';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest } from '../../../http/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';
import { ExcludeFromSwagger } from './exclude-from-swagger';

/**
 * An admin's time-boxed exemptions of one user (the app's `authorizeAdmin` hook).
 * Method, path and status must match `MFA_ROUTES` (test/architecture/route-table.spec.ts).
 */
export function createExemptionController(prefix: string): Type {
  @Controller(`${prefix}/admin/users`)
  @ExcludeFromSwagger()
  @UseFilters(MfaExceptionFilter)
  @SkipMfa()
  class MfaExemptionController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    @Get(':userId/exemptions')
    @Header('Cache-Control', 'no-store')
    list(@Req() req: MfaRequest) {
      return this.api.exemptions.list(req);
    }

    @Post(':userId/exemptions')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    grant(@Req() req: MfaRequest) {
      return this.api.exemptions.grant(req);
    }

    @Delete(':userId/exemptions/:exemptionId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revoke(@Req() req: MfaRequest) {
      return this.api.exemptions.revoke(req);
    }
  }
  return MfaExemptionController;
}
