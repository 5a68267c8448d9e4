import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { SkipMfa } from '../../src';
import { LocalLoginGuard } from './auth.guards';

/** Signing in and out never needs a second factor (and stays open to users who must still enroll). */
@Controller('auth')
@SkipMfa()
export class AuthController {
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
}
