import { Controller, Get } from '@nestjs/common';

/** No MFA: anyone may read. */
@Controller('wiki')
export class WikiController {
  @Get()
  read() {
    return { page: 'Welcome to the wiki. No second factor needed here.' };
  }
}
