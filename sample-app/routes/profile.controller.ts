import { PROFILE_NEXT_STEPS } from '../shared/dev-outbox';
import { Controller, Get, Inject, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { MfaEngine, passportSessionSubject, RequireMfa, SkipMfa } from '../../src';
import { SignedInGuard } from '../auth/auth.guards';

/**
 * Enrolment and management live under /mfa; this page lists what the user has.
 * Reading it needs only a password, so a user without a factor can find how to enroll.
 */
@Controller('profile')
@UseGuards(SignedInGuard)
@RequireMfa()
export class ProfileController {
  constructor(@Inject(MfaEngine) private readonly mfa: MfaEngine) {}

  @Get()
  @SkipMfa()
  async show(@Req() req: Request) {
    return {
      user: req.user,
      mfa: await this.mfa.listEnrollments((await passportSessionSubject(req))!), // SignedInGuard ran: there is a subject
      next: PROFILE_NEXT_STEPS,
    };
  }

  /** A page that needs any verified factor in this session. */
  @Get('security')
  security(@Req() req: Request) {
    return { user: req.user, note: 'You verified a second factor in this session.' };
  }
}
