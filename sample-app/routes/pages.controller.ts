import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MfaService, RequireMfa, SkipMfa, StepUp } from '../../src';
import type { PageResult } from '../shared/pages/page-response';
import { sendPage } from '../shared/pages/page-response';
import { SamplePages } from '../shared/pages/sample-pages';
import { PageRefusalFilter } from './page-refusal.filter';

/**
 * The HTML pages under /ui. The decorators are the same as the JSON routes use: MfaGuard
 * decides, and PageRefusalFilter turns its refusal into the challenge page. The Express
 * sample mounts the same pages with the matching middleware (express-pages.router.ts).
 */
@Controller('ui')
@UseFilters(PageRefusalFilter)
export class PagesController {
  constructor(private readonly pages: SamplePages) {}

  // Open pages stay open even under mandatory enrollment, like sign-in itself.
  @Get()
  @SkipMfa()
  home(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.home(req));
  }

  @Get('sign-in')
  @SkipMfa()
  signIn(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.signIn(req));
  }

  @Get('enroll')
  @SkipMfa()
  enroll(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.enroll(req));
  }

  @Get('profile')
  @SkipMfa()
  profile(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.send(res, this.pages.profile(req));
  }

  @Get('password')
  @SkipMfa()
  password(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.password(req));
  }

  @Get('recovery')
  @SkipMfa()
  recovery(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.recovery(req));
  }

  /** The page is open to admins; the MFA admin API its script calls asks for their own MFA. */
  @Get('admin')
  @SkipMfa()
  admin(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.admin(req));
  }

  /** 404 unless the development outbox is on; reading a code must not itself need a code. */
  @Get('outbox')
  @SkipMfa()
  outbox(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.devOutbox(req));
  }

  @Get('secure')
  @RequireMfa()
  secure(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.secure(req));
  }

  @Get('payments')
  @MfaService('payments')
  payments(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.payments(req));
  }

  /**
   * A full-page step-up that returns to `?next=`. The page scripts no longer send anyone here:
   * the client's step-up dialog meets the API's own challenge in place.
   */
  @Get('verify')
  @StepUp({ maxAge: 300 })
  verify(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.verified(req));
  }

  /** The same with a passkey. */
  @Get('verify/passkey')
  @StepUp({ maxAge: 300, factors: ['webauthn'] })
  verifyPasskey(@Req() req: Request, @Res() res: Response): void {
    sendPage(res, this.pages.verified(req));
  }

  private async send(res: Response, page: Promise<PageResult>): Promise<void> {
    sendPage(res, await page);
  }
}
