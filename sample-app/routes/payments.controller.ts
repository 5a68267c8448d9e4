import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { MfaOperation, MfaService } from '../../src';

/** Governed by the policy's `payments` service: any factor to look, a fresh code for each transfer. */
@Controller('payments')
@MfaService('payments')
export class PaymentsController {
  @Get()
  balance(@Req() req: Request) {
    return { user: req.user, balance: 1250 };
  }

  @Post('transfer')
  @HttpCode(200)
  @MfaOperation('transfer')
  transfer() {
    return { transferred: true };
  }

  @Post('refund')
  @HttpCode(200)
  @MfaOperation('refund')
  refund() {
    return { refunded: true };
  }
}
