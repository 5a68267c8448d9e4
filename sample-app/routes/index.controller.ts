import { Controller, Get, Inject } from '@nestjs/common';
import { SkipMfa } from '../../src';
import { sampleIndex } from '../shared/sample-index';

/** Whether /dev/outbox is on is decided once, in SampleAppModule.register, and handed in under this token. */
export const SAMPLE_INDEX = 'SAMPLE_INDEX';

/** GET /: where to sign in and what each route needs. */
@Controller()
export class IndexController {
  constructor(@Inject(SAMPLE_INDEX) private readonly index: ReturnType<typeof sampleIndex>) {}

  // Open to everyone, including users the policy's mandatory enrollment would otherwise stop.
  @Get()
  @SkipMfa()
  show() {
    return this.index;
  }
}
