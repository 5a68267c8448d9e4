import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Type, UseFilters, UsePipes } from '@nestjs/common';
import { EnrollmentSummary, FactorView, MfaEngine, TotpEnrollmentStart } from '../../../core/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_SUBJECT_RESOLVER } from '../mfa.internal-tokens';
import { MfaValidationPipe } from '../mfa-validation.pipe';
import { ConfirmEnrollmentDto, MfaRequest, requireSubject, ResolveSubject, StartEnrollmentDto } from '../../../http/src';

export function createEnrollmentController(prefix: string): Type {
  @Controller(prefix)
  @UseFilters(MfaExceptionFilter)
  @UsePipes(MfaValidationPipe)
  class MfaEnrollmentController {
    constructor(
      @Inject(MfaEngine) private readonly engine: MfaEngine,
      @Inject(MFA_SUBJECT_RESOLVER) private readonly resolveSubject: ResolveSubject,
    ) {}

    /** Metadata only: never a secret. */
    @Get('enrollments')
    @Header('Cache-Control', 'no-store')
    async list(@Req() req: MfaRequest): Promise<EnrollmentSummary> {
      return this.engine.listEnrollments(await requireSubject(this.resolveSubject, req));
    }

    /** The only response that carries the TOTP seed (as a QR SVG, a URI and base32). */
    @Post('totp/enrollments')
    @Header('Cache-Control', 'no-store')
    async start(@Req() req: MfaRequest, @Body() body: StartEnrollmentDto): Promise<TotpEnrollmentStart> {
      return this.engine.startTotpEnrollment(await requireSubject(this.resolveSubject, req), body.label);
    }

    @Post('totp/enrollments/:enrollmentId/confirm')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    async confirm(
      @Req() req: MfaRequest,
      @Param('enrollmentId') enrollmentId: string,
      @Body() body: ConfirmEnrollmentDto,
    ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
      return this.engine.confirmTotpEnrollment(await requireSubject(this.resolveSubject, req), enrollmentId, body.code);
    }

    /** Voids the earlier set; needs a fresh verification. */
    @Post('backup-codes/regenerate')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    async regenerate(@Req() req: MfaRequest): Promise<{ backupCodes: string[] }> {
      return { backupCodes: await this.engine.regenerateBackupCodes(await requireSubject(this.resolveSubject, req)) };
    }
  }
  return MfaEnrollmentController;
}
