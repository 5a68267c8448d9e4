import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SkipMfa } from '../../src';
import { apiDocsPage, sampleOpenApi } from '../shared/pages/api-docs.page';
import { sendPage } from '../shared/pages/page-response';
import { sendAsset } from '../shared/pages/static-assets';

/**
 * The pages' scripts and stylesheet (sample-app/public), and the MFA API's OpenAPI document
 * and its page, served the same way as by the Express sample.
 */
@Controller()
@SkipMfa()
export class AssetsController {
  @Get('assets/:file')
  file(@Param('file') file: string, @Res() res: Response): Promise<void> {
    return sendAsset(res, file);
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
