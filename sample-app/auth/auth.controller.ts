import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { LocalLoginGuard } from './auth.guards';

@Controller('auth')
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
