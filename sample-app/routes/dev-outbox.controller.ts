import { Controller, Get } from '@nestjs/common';
import { SkipMfa } from '../../src';
import { outboxPage } from '../shared/dev-outbox';

/** Registered only in development mode (see devOutboxEnabled): where the sample's codes go. */
@Controller('dev/outbox')
export class DevOutboxController {
  // Reading the code must not itself need a code.
  @Get()
  @SkipMfa()
  list() {
    return outboxPage();
  }
}
