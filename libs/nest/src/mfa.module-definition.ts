import { ConfigurableModuleBuilder } from '@nestjs/common';
import { APP_INTERCEPTOR, ApplicationConfig, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { MfaEngine } from '../../core/src';
import { createMfaControllers } from './controllers/create-mfa-controllers';
import { MfaGuard } from './mfa.guard';
import { MfaEnforcementInterceptor } from './mfa-enforcement.interceptor';
import { DeviceRouteDiscovery } from './device-route-discovery';
import { BodyRefusalHandler } from './errors/body-refusal.handler';
import { MFA_HTTP_API, MFA_OPTIONS } from './mfa.internal-tokens';
import { MfaModuleExtras, MfaModuleOptions } from './mfa-module-options';
import { MfaHttpApi } from '../../http/src';
import { createMfaEngine } from '../../setup/src';

export const {
  ConfigurableModuleClass: MfaConfigurableModule,
  OPTIONS_TYPE: MFA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MFA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MfaModuleOptions>({ moduleName: 'Mfa', optionsInjectionToken: MFA_OPTIONS })
  .setClassMethodName('forRoot')
  .setExtras<MfaModuleExtras>({ isGlobal: false, routePrefix: 'mfa', authGuards: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    imports: [...(definition.imports ?? []), DiscoveryModule],
    controllers: createMfaControllers(extras.routePrefix, extras.authGuards),
    providers: [
      ...(definition.providers ?? []),
      { provide: MfaEngine, inject: [MFA_OPTIONS], useFactory: createMfaEngine },
      {
        provide: MFA_HTTP_API,
        inject: [MfaEngine, MFA_OPTIONS],
        useFactory: (engine: MfaEngine, options: MfaModuleOptions) =>
          new MfaHttpApi(async () => engine, options, extras.routePrefix),
      },
      MfaGuard,
      DeviceRouteDiscovery,
      {
        provide: BodyRefusalHandler,
        inject: [HttpAdapterHost, ApplicationConfig],
        useFactory: (host: HttpAdapterHost, config: ApplicationConfig) =>
          new BodyRefusalHandler(host, config, extras.routePrefix),
      },
      // Every decorated route is enforced even when no MfaGuard was placed (see MfaEnforcementInterceptor).
      { provide: APP_INTERCEPTOR, useClass: MfaEnforcementInterceptor },
    ],
    exports: [...(definition.exports ?? []), MfaEngine, MFA_HTTP_API, MfaGuard],
  }))
  .build();
