import { Controller, Get, Req } from '@nestjs/common';
import type { Request } from 'express';
import { MfaService, StepUp } from '../../src';

/** TOTP only, verified within the last 5 minutes of this session. */
@Controller('admin')
@MfaService('admin')
@StepUp({ maxAge: 300, factors: ['totp'] })
export class AdminController {
  @Get()
  dashboard(@Req() req: Request) {
    return { area: 'admin', user: req.user };
  }
}
