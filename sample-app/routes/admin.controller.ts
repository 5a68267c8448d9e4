import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { MfaService, StepUp } from '../../src';
import { AdminOnlyGuard } from '../auth/auth.guards';

/**
 * Admins only, with TOTP verified within the last 5 minutes of this session. The global
 * MfaGuard runs before this controller's guard: a session holding only a stolen password
 * meets the step-up first and cannot learn from a 403 whether the account is an admin.
 * The Express sample mounts the two in the same order.
 */
@Controller('admin')
@MfaService('admin')
@StepUp({ maxAge: 300, factors: ['totp'] })
@UseGuards(AdminOnlyGuard)
export class AdminController {
  @Get()
  dashboard(@Req() req: Request) {
    return { area: 'admin', user: req.user };
  }
}
