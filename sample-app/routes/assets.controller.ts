import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SkipMfa } from '../../src';
import { apiDocsPage, sampleOpenApi } from '../shared/pages/api-docs.page';
import { sendClientEntry, sendClientModule, sendVendorModule } from '../shared/pages/client-modules';
import { sendPage } from '../shared/pages/page-response';
import { sendAsset } from '../shared/pages/static-assets';

/**
 * The pages' scripts and stylesheet (sample-app/public), the browser client they import (see
 * client-modules.ts), and the MFA API's OpenAPI document and its page, served the same way as
 * by the Express sample. A route parameter never spans a slash, so each folder has its route.
 */
@Controller()
@SkipMfa()
export class AssetsController {
  @Get('assets/:file')
  file(@Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendAsset(res, file);
  }

  @Get('assets/client/src/:file')
  clientEntry(@Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendClientEntry(res, file);
  }

  @Get('assets/client/libs/client/src/:file')
  clientModule(@Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendClientModule(res, file);
  }

  @Get('assets/vendor/simplewebauthn/:file')
  vendorEntry(@Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendVendorModule(res, file);
  }

  @Get('assets/vendor/simplewebauthn/:dir/:file')
  vendorModule(@Param('dir') dir: string, @Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendVendorModule(res, file, dir);
  }

  @Get('openapi.json')
  openApi() {
    return sampleOpenApi();
  }

  @Get('docs')
  docs(@Res() res: Response): void {
    sendPage(res, { status: 200, html: apiDocsPage() });
  }
}
