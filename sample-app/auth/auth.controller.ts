import { Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MfaEngine, SkipMfa } from '../../src';
import { DemoUser, UsersService } from '../shared/demo-users';
import { changePassword } from '../shared/pages/password-change';
import { LocalLoginGuard, SignedInGuard } from './auth.guards';

/** Signing in and out never needs a second factor (and stays open to users who must still enroll). */
@Controller('auth')
@SkipMfa()
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly mfa: MfaEngine,
  ) {}

  /** Body: `{ "username": "alice", "password": "alice-password" }`. */
  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalLoginGuard)
  login(@Req() req: Request) {
    return { user: req.user };
  }

  @Post('logout')
  @HttpCode(200)
  logout(@Req() req: Request): Promise<{ signedOut: true }> {
    return new Promise((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve({ signedOut: true }))));
  }

  /** Body: `{ "currentPassword", "newPassword" }`; MFA then forgets the user's remembered browsers. */
  @Post('password')
  @UseGuards(SignedInGuard)
  async password(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<object> {
    const answer = await changePassword(this.users, this.mfa, (req.user as DemoUser).id, req.body);
    res.status(answer.status);
    return answer.body;
  }
}
