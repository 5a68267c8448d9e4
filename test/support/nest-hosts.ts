import 'reflect-metadata';
import { CanActivate, Controller, Get, HttpCode, Injectable, Module, Post, Req, Type, UseGuards } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import session from 'express-session';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../libs/core/src';
import type { MfaModuleOptions } from '../../libs/nest/src';
import { MfaGuard, MfaModule, RequireMfa, SkipMfa } from '../../libs/nest/src';
import { CapturingAuditSink } from './capturing-audit.sink';
import { TEST_KEY } from './test-app';

/**
 * Small Nest hosts that are not the sample: each wires MFA one way a real app might, right
 * or wrong, so the seams can be tested where apps plug in.
 */
export const JWT_SECRET = 'host-test-secret';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: JWT_SECRET });
  }
  validate(payload: Record<string, unknown>) {
    return payload;
  }
}

/** Signs a user in: a session (passport) or a token with `{ sub, sid }` (or without sid). */
@Controller('auth')
@SkipMfa()
export class HostAuthController {
  constructor(private readonly jwt: JwtService) {}

  @Post('session')
  @HttpCode(200)
  session(@Req() req: { login(user: object, cb: (err?: unknown) => void): void }) {
    return new Promise((resolve, reject) =>
      req.login({ id: 'alice', email: 'alice@example.com' }, (err) => (err ? reject(err) : resolve({ ok: true }))),
    );
  }

  @Post('token')
  @HttpCode(200)
  token() {
    return { token: this.jwt.sign({ sub: 'alice', sid: randomUUID() }) };
  }

  @Post('token-without-sid')
  @HttpCode(200)
  tokenWithoutSid() {
    return { token: this.jwt.sign({ sub: 'alice' }) };
  }
}

export interface HostOptions {
  /** Controllers holding the guarded routes. */
  controllers: Type[];
  /** Extra imports, e.g. a feature module. */
  imports?: Type[];
  /** 'app-guard': the README's old APP_GUARD line. */
  appGuard?: boolean;
  authGuards?: (Type<CanActivate> | CanActivate)[];
  /** Session middleware; `passport: false` leaves out passport.session(). */
  sessions?: { passport: boolean } | false;
  mfa?: Partial<MfaModuleOptions>;
}

export async function startNestHost(options: HostOptions) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const audit = new CapturingAuditSink();
  const mfa: MfaModuleOptions = {
    encryption: { keys: [{ id: 'k1', key: TEST_KEY }] },
    database: { type: 'better-sqlite3', database: ':memory:' },
    clock,
    audit,
    backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
    ...options.mfa,
  };
  @Module({
    imports: [
      PassportModule,
      JwtModule.register({ secret: JWT_SECRET }),
      MfaModule.forRoot({ ...mfa, ...(options.authGuards ? { authGuards: options.authGuards } : {}) }),
      ...(options.imports ?? []),
    ],
    controllers: [HostAuthController, ...options.controllers],
    providers: [JwtStrategy, ...(options.appGuard ? [{ provide: APP_GUARD, useClass: MfaGuard }] : [])],
  })
  class HostModule {}
  const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  if (options.sessions !== false) {
    app.use(session({ secret: 'host', resave: false, saveUninitialized: false }));
    app.use(passport.initialize());
    if (options.sessions?.passport !== false) app.use(passport.session());
  }
  passport.serializeUser((user, done) => done(null, user));
  passport.deserializeUser((user: Express.User, done) => done(null, user));
  await app.init();
  return { app, http: app.getHttpServer(), clock, audit, close: () => app.close() };
}

/** One decorated route, as in the README's quick start. */
@Controller('billing')
export class BillingController {
  @Get()
  @RequireMfa()
  list() {
    return { billing: true };
  }
}

/** The token recipe: the app's auth guard on the route, MFA after it. */
@Controller('billing-jwt')
export class JwtBillingController {
  @Get()
  @UseGuards(AuthGuard('jwt'))
  @RequireMfa()
  list() {
    return { billing: true };
  }

  @Get('mfa-guard-first')
  @UseGuards(MfaGuard, AuthGuard('jwt'))
  @RequireMfa()
  wrongOrder() {
    return { billing: true };
  }

  @Get('no-auth-guard')
  @RequireMfa()
  noAuthGuard() {
    return { billing: true };
  }
}
