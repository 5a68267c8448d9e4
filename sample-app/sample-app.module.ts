import { DynamicModule, Inject, INestApplication, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import session from 'express-session';
import passport from 'passport';
import { MfaEngine, MfaGuard, MfaModule, MfaModuleOptions } from '../src';
import { AuthController } from './auth/auth.controller';
import { PasswordController } from './auth/password.controller';
import { LocalStrategy } from './auth/local.strategy';
import { SessionSerializer } from './auth/session.serializer';
import { UsersService } from './shared/demo-users';
import { AdminController } from './routes/admin.controller';
import { ProfileController } from './routes/profile.controller';
import { WikiController } from './routes/wiki.controller';
import { PaymentsController } from './routes/payments.controller';
import { SAMPLE_MFA_DEFAULTS } from './shared/sample-mfa-policy';
import { DEV_OUTBOX, devOutboxEnabled } from './shared/dev-outbox';
import { DevOutboxController } from './routes/dev-outbox.controller';
import { IndexController, SAMPLE_INDEX } from './routes/index.controller';
import { sampleIndex } from './shared/sample-index';
import { AssetsController } from './routes/assets.controller';
import { PagesController } from './routes/pages.controller';
import { SamplePages } from './shared/pages/sample-pages';
import { simulatedCountry } from './shared/simulated-country';

/** The development-only country middleware, or null: decided once, in `register`, like GET /dev/outbox. */
const SIMULATED_COUNTRY = 'SAMPLE_SIMULATED_COUNTRY';

/** An existing passport + express-session app, with MFA added by one import and one guard. */
@Module({})
export class SampleAppModule implements NestModule {
  constructor(
    @Inject(SIMULATED_COUNTRY) private readonly simulateCountry: ReturnType<typeof simulatedCountry> | null,
  ) {}

  /** Module middleware runs before every guard, so MFA reads the pretend country as the edge's header. */
  configure(consumer: MiddlewareConsumer): void {
    if (this.simulateCountry) consumer.apply(this.simulateCountry).forRoutes('*');
  }

  static register(options: MfaModuleOptions, mode: 'sync' | 'async' = 'sync'): DynamicModule {
    const outbox = devOutboxEnabled();
    const mfa = {
      ...SAMPLE_MFA_DEFAULTS,
      ...(outbox ? { sms: DEV_OUTBOX.sms, email: DEV_OUTBOX.email } : {}),
      ...options,
    } as MfaModuleOptions;
    return {
      module: SampleAppModule,
      imports: [
        PassportModule.register({ session: true }),
        mode === 'sync' ? MfaModule.forRoot(mfa) : MfaModule.forRootAsync({ useFactory: async () => mfa }),
      ],
      controllers: [
        IndexController,
        AuthController,
        PasswordController,
        WikiController,
        AdminController,
        ProfileController,
        PaymentsController,
        PagesController,
        AssetsController,
        ...(outbox ? [DevOutboxController] : []),
      ],
      providers: [
        UsersService,
        LocalStrategy,
        SessionSerializer,
        { provide: APP_GUARD, useClass: MfaGuard },
        { provide: SAMPLE_INDEX, useValue: sampleIndex(outbox) },
        {
          provide: SIMULATED_COUNTRY,
          useValue: outbox && mfa.trustedCountryHeader ? simulatedCountry(mfa.trustedCountryHeader) : null,
        },
        {
          provide: SamplePages,
          useFactory: (engine: MfaEngine) => new SamplePages(async () => engine, mfa.endOtherSessions, outbox),
          inject: [MfaEngine],
        },
      ],
    };
  }
}

/** The app's own session middleware; MFA keys its state by this session's id. `store`: shared by instances (default: memory). */
export function useSessions(app: INestApplication, secret: string, store?: session.Store): void {
  app.use(
    session({
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: process.env.NODE_ENV === 'production' },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
}
