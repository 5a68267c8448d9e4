import { ConfigurableModuleBuilder } from '@nestjs/common';
import { MfaEngine } from '../../core/src';
import { createMfaControllers } from './controllers/create-mfa-controllers';
import { MfaGuard } from './mfa.guard';
import { MFA_OPTIONS, MFA_SUBJECT_RESOLVER } from './mfa.internal-tokens';
import { MfaModuleExtras, MfaModuleOptions } from './mfa-module-options';
import { createMfaEngine, defaultResolveSubject } from '../../http/src';

export const {
  ConfigurableModuleClass: MfaConfigurableModule,
  OPTIONS_TYPE: MFA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MFA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MfaModuleOptions>({ moduleName: 'Mfa', optionsInjectionToken: MFA_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<MfaModuleExtras>({ isGlobal: false, routePrefix: 'mfa' }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    controllers: createMfaControllers(extras.routePrefix),
    providers: [
      ...(definition.providers ?? []),
      { provide: MfaEngine, inject: [MFA_OPTIONS], useFactory: createMfaEngine },
      {
        provide: MFA_SUBJECT_RESOLVER,
        inject: [MFA_OPTIONS],
        useFactory: (options: MfaModuleOptions) => options.resolveSubject ?? defaultResolveSubject,
      },
      MfaGuard,
    ],
    exports: [...(definition.exports ?? []), MfaEngine, MFA_SUBJECT_RESOLVER, MfaGuard],
  }))
  .build();

/** Inject the module options with `@Inject(MFA_MODULE_OPTIONS)`. */
export const MFA_MODULE_OPTIONS = MFA_OPTIONS;
