import { Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MfaEngine, StepUp } from '../../src';
import { DemoUser, UsersService } from '../shared/demo-users';
import { changePassword } from '../shared/pages/password-change';
import { SignedInGuard } from './auth.guards';

/**
 * Not beside sign-in (which skips MFA): changing the password needs a fresh second factor, so
 * someone holding only a phished password cannot lock the owner out with it.
 */
@Controller('auth')
export class PasswordController {
  constructor(
    private readonly users: UsersService,
    private readonly mfa: MfaEngine,
  ) {}

  /** Body: `{ "currentPassword", "newPassword" }` as JSON; MFA then forgets the user's remembered browsers. */
  @Post('password')
  @UseGuards(SignedInGuard)
  @StepUp({ maxAge: 300 })
  async password(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<object> {
    const answer = await changePassword(this.users, this.mfa, (req.user as DemoUser).id, req.body, req.is('json'));
    res.status(answer.status);
    return answer.body;
  }
}
