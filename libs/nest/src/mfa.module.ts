import { Inject, Module, OnModuleDestroy } from '@nestjs/common';
import { MfaEngine } from '../../core/src';
import { MfaConfigurableModule } from './mfa.module-definition';

/**
 * `MfaModule.forRoot(options)` or `forRootAsync({ useFactory, inject })`. Register
 * `MfaGuard` as an APP_GUARD and mark routes with `@RequireMfa()` / `@StepUp()`.
 */
@Module({})
export class MfaModule extends MfaConfigurableModule implements OnModuleDestroy {
  constructor(@Inject(MfaEngine) private readonly engine: MfaEngine) {
    super();
  }

  async onModuleDestroy(): Promise<void> {
    await this.engine.close();
  }
}
