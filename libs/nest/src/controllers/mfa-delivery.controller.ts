import { Controller, Get, HttpCode, Inject, Post, Req, Type, UseFilters } from '@nestjs/common';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest } from '../../../http/src';
import { SkipMfa } from '../decorators/skip-mfa.decorator';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';
import { ExcludeFromSwagger } from './exclude-from-swagger';

/**
 * Provider delivery reports. Apart from the user-facing controllers because the host's
 * `authGuards` must never run here: the SMS sender authenticates the provider instead.
 */
export function createDeliveryController(prefix: string): Type {
  @Controller(prefix)
  @ExcludeFromSwagger()
  @UseFilters(MfaExceptionFilter)
  @SkipMfa()
  class MfaDeliveryController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    /** Twilio StatusCallback posts; Vonage DLR may GET or POST. No session. */
    @Post('delivery/:provider/status')
    @HttpCode(200)
    deliveryStatus(@Req() req: MfaRequest) {
      return this.api.challenges.deliveryStatus(req);
    }

    @Get('delivery/:provider/status')
    deliveryStatusByGet(@Req() req: MfaRequest) {
      return this.api.challenges.deliveryStatus(req);
    }
  }
  return MfaDeliveryController;
}
