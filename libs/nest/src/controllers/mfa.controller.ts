import {
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Inject,
  Patch,
  Post,
  Req,
  Res,
  Type,
  UseFilters,
} from '@nestjs/common';
import { MfaHttpApi } from '../../../http/src';
import type { MfaRequest, MfaResponse } from '../../../http/src';
import { SkipMfa } from '../decorators/skip-mfa.decorator';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_HTTP_API } from '../mfa.internal-tokens';
import { ExcludeFromSwagger } from './exclude-from-swagger';

/**
 * Challenge, enrollment and self-service endpoints. Each maps a route to the shared `MfaHttpApi`;
 * nothing more. Method, path and status must match `MFA_ROUTES` (test/architecture/route-table.spec.ts).
 */
export function createMfaController(prefix: string): Type {
  // MFA's own endpoints decide for themselves (and stay open to a user who must still enroll).
  @Controller(prefix)
  @ExcludeFromSwagger()
  @UseFilters(MfaExceptionFilter)
  @SkipMfa()
  class MfaController {
    constructor(@Inject(MFA_HTTP_API) private readonly api: MfaHttpApi) {}

    /** Answer a challenge; on success the client retries its request in the same session. */
    @Post('challenges/:challengeId/verify')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    verify(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.challenges.verify(req, res);
    }

    /** The options for `navigator.credentials.get()` that answer this challenge with a passkey. */
    @Post('challenges/:challengeId/webauthn')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    passkeyOptions(@Req() req: MfaRequest) {
      return this.api.challenges.passkeyOptions(req);
    }

    /** Sends or re-sends an SMS / email code; 429 RESEND_TOO_SOON with Retry-After inside the cooldown. */
    @Post('challenges/:challengeId/send')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    send(@Req() req: MfaRequest) {
      return this.api.challenges.sendCode(req);
    }

    /** Starts registering a passkey: the options for `navigator.credentials.create()`. */
    @Post('webauthn/enrollments')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    startPasskey(@Req() req: MfaRequest) {
      return this.api.enrollment.startPasskey(req);
    }

    @Post('webauthn/enrollments/:enrollmentId/confirm')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    confirmPasskey(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.enrollment.confirmPasskey(req, res);
    }

    /** Binds a phone number: the code sent to it confirms; the answer shows it masked. */
    @Post('sms/enrollments')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    startSms(@Req() req: MfaRequest) {
      return this.api.enrollment.startDelivery(req, 'sms');
    }

    @Post('sms/enrollments/:enrollmentId/resend')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    resendSms(@Req() req: MfaRequest) {
      return this.api.enrollment.resendDelivery(req, 'sms');
    }

    @Post('sms/enrollments/:enrollmentId/confirm')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    confirmSms(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.enrollment.confirmDelivery(req, 'sms', res);
    }

    @Post('email/enrollments')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    startEmail(@Req() req: MfaRequest) {
      return this.api.enrollment.startDelivery(req, 'email');
    }

    @Post('email/enrollments/:enrollmentId/resend')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    resendEmail(@Req() req: MfaRequest) {
      return this.api.enrollment.resendDelivery(req, 'email');
    }

    @Post('email/enrollments/:enrollmentId/confirm')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    confirmEmail(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.enrollment.confirmDelivery(req, 'email', res);
    }

    /** Needs a fresh verification; never the last factor while enrollment is mandatory. */
    @Delete('enrollments/:enrollmentId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    remove(@Req() req: MfaRequest) {
      return this.api.enrollment.remove(req);
    }

    /** `{ label }`: needs a fresh verification; answers with the factor. */
    @Patch('enrollments/:enrollmentId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    rename(@Req() req: MfaRequest) {
      return this.api.enrollment.rename(req);
    }

    @Get('devices')
    @Header('Cache-Control', 'no-store')
    devices(@Req() req: MfaRequest) {
      return this.api.selfService.listDevices(req);
    }

    @Delete('devices/:deviceId')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revokeDevice(@Req() req: MfaRequest) {
      return this.api.selfService.revokeDevice(req);
    }

    @Delete('devices')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revokeDevices(@Req() req: MfaRequest) {
      return this.api.selfService.revokeDevices(req);
    }

    /** Voids MFA in the user's other sessions and ends them through the app's hook; needs a fresh verification. */
    @Post('sessions/revoke-others')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    revokeOtherSessions(@Req() req: MfaRequest) {
      return this.api.selfService.revokeOtherSessions(req);
    }

    @Post('recovery/redeem')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    redeem(@Req() req: MfaRequest) {
      return this.api.selfService.redeemRecoveryTicket(req);
    }

    /** Metadata only: never a secret. */
    @Get('enrollments')
    @Header('Cache-Control', 'no-store')
    list(@Req() req: MfaRequest) {
      return this.api.enrollment.list(req);
    }

    /** The only response that carries the TOTP seed (as a QR SVG, a URI and base32). */
    @Post('totp/enrollments')
    @HttpCode(201)
    @Header('Cache-Control', 'no-store')
    start(@Req() req: MfaRequest) {
      return this.api.enrollment.startTotp(req);
    }

    @Post('totp/enrollments/:enrollmentId/confirm')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    confirm(@Req() req: MfaRequest, @Res({ passthrough: true }) res: MfaResponse) {
      return this.api.enrollment.confirmTotp(req, res);
    }

    /** Voids the earlier set; needs a fresh verification. */
    @Post('backup-codes/regenerate')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    regenerate(@Req() req: MfaRequest) {
      return this.api.enrollment.regenerateBackupCodes(req);
    }
  }
  return MfaController;
}
