import { Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { RequireMfa } from 'nestjs-mfa'; // mfa
import { LoginGuard, SignedInGuard } from './auth';

@Controller()
export class AppController {
  @Post('login')
  @HttpCode(200)
  @UseGuards(LoginGuard)
  login(@Req() req: Request) {
    return { user: req.user };
  }

  @Get('billing')
  @UseGuards(SignedInGuard)
  @RequireMfa() // mfa
  billing() {
    return { billing: 'ok' };
  }
}
