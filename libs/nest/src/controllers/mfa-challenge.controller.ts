import { Body, Controller, Header, HttpCode, Inject, Param, Post, Req, Type, UseFilters, UsePipes } from '@nestjs/common';
import { MfaEngine, VerifyResult } from '../../../core/src';
import { MfaExceptionFilter } from '../errors/mfa-exception.filter';
import { MFA_SUBJECT_RESOLVER } from '../mfa.internal-tokens';
import { MfaValidationPipe } from '../mfa-validation.pipe';
import { MfaRequest, requireSubject, ResolveSubject, VerifyChallengeDto } from '../../../http/src';

export function createChallengeController(prefix: string): Type {
  @Controller(prefix)
  @UseFilters(MfaExceptionFilter)
  @UsePipes(MfaValidationPipe)
  class MfaChallengeController {
    constructor(
      @Inject(MfaEngine) private readonly engine: MfaEngine,
      @Inject(MFA_SUBJECT_RESOLVER) private readonly resolveSubject: ResolveSubject,
    ) {}

    /** Answer a challenge; on success the session satisfies it and the client retries its request. */
    @Post('challenges/:challengeId/verify')
    @HttpCode(200)
    @Header('Cache-Control', 'no-store')
    async verify(@Req() req: MfaRequest, @Param('challengeId') challengeId: string, @Body() body: VerifyChallengeDto): Promise<{ verified: true } & VerifyResult> {
      const subject = await requireSubject(this.resolveSubject, req);
      return { verified: true, ...(await this.engine.verifyChallenge(subject, challengeId, body.method, body.code)) };
    }
  }
  return MfaChallengeController;
}
