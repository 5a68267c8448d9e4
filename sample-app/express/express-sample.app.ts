import type { Express, NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { createMfa, MfaExpress, MfaExpressOptions, passportSessionSubject } from '../../src/express';
import { DemoUser, isAdmin, UsersService } from '../shared/demo-users';
import { SAMPLE_MFA_DEFAULTS } from '../shared/sample-mfa-policy';
import { DEV_OUTBOX, devOutboxEnabled, outboxPage, PROFILE_NEXT_STEPS } from '../shared/dev-outbox';
import { sampleIndex } from '../shared/sample-index';
import { simulatedCountry } from '../shared/simulated-country';
import { changePassword } from '../shared/pages/password-change';
import { SamplePages } from '../shared/pages/sample-pages';
import { samplePagesRouter } from './express-pages.router';

/**
 * The same app as the Nest sample, in plain Express with passport-local and
 * express-session: MFA is one `createMfa()`, one router and a middleware per route.
 */
export async function createExpressSampleApp(
  options: MfaExpressOptions & { sessionSecret: string; sessionStore?: session.Store },
): Promise<{ app: Express; mfa: MfaExpress }> {
  const express = options.express ?? (require('express') as typeof import('express'));
  const users = new UsersService();
  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => done(null, users.checkPassword(username, password) ?? false)),
  );
  passport.serializeUser<string>((user, done) => done(null, (user as DemoUser).id));
  passport.deserializeUser<string>((id, done) => done(null, users.findById(id) ?? false));

  const outbox = devOutboxEnabled();
  const mfa = createMfa({
    ...SAMPLE_MFA_DEFAULTS,
    ...(outbox ? { sms: DEV_OUTBOX.sms, email: DEV_OUTBOX.email } : {}),
    ...options,
  } as MfaExpressOptions);
  await mfa.ready;

  const app = express();
  // Development only, like the outbox: the home page's pretend country, as the edge's header, before MFA reads it.
  const countryHeader = options.trustedCountryHeader ?? SAMPLE_MFA_DEFAULTS.trustedCountryHeader;
  if (outbox && countryHeader) app.use(simulatedCountry(countryHeader));
  app.use(
    session({
      secret: options.sessionSecret,
      store: options.sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: process.env.NODE_ENV === 'production' },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(mfa.router); // parses its own bodies, so a malformed one gets MFA's error envelope
  app.use(express.json());

  const signedIn = (req: Request, res: Response, next: NextFunction) =>
    req.isAuthenticated() ? next() : res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Sign in first.' });
  const adminOnly = (req: Request, res: Response, next: NextFunction) =>
    !req.isAuthenticated()
      ? res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Sign in first.' })
      : isAdmin((req.user as DemoUser).groups)
        ? next()
        : res.status(403).json({ code: 'ADMIN_ONLY', message: 'Only admins may open this page.' });
  const index = sampleIndex(outbox);

  app.post('/auth/login', (req, res, next) =>
    passport.authenticate('local', (err: unknown, user: DemoUser | false) => {
      if (err) return next(err);
      if (!user) return res.status(401).json({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password.' });
      req.logIn(user, (loginErr) => (loginErr ? next(loginErr) : res.status(200).json({ user })));
    })(req, res, next),
  );
  app.post('/auth/logout', (req, res, next) => req.logout((err) => (err ? next(err) : res.json({ signedOut: true }))));
  // Body: `{ "currentPassword", "newPassword" }`; MFA then forgets the user's remembered browsers.
  // A fresh second factor first: a phished password alone must not lock the owner out.
  app.post('/auth/password', signedIn, mfa.stepUp({ maxAge: 300 }), (req, res, next) =>
    mfa.ready
      .then((engine) => changePassword(users, engine, (req.user as DemoUser).id, req.body, req.is('json')))
      .then(({ status, body }) => void res.status(status).json(body), next),
  );
  // Like the Nest sample's global guard: every route below gets the policy's default for
  // unmapped routes and mandatory enrollment (signing in and out, the outbox and the index stay open).
  if (outbox) app.get('/dev/outbox', (_req, res) => res.json(outboxPage()));
  app.get('/', (_req, res) => res.json(index));
  // The HTML pages: the open ones stay open like sign-in, the guarded ones carry their own middleware.
  app.use(samplePagesRouter(express, mfa, new SamplePages(() => mfa.ready, options.endOtherSessions, outbox)));
  app.use(mfa.protect({}));

  app.get('/wiki', (_req, res) => res.json({ page: 'Welcome to the wiki. No second factor needed here.' }));
  // Step-up before the role check, as in the Nest sample (see its AdminController).
  app.get('/admin', mfa.stepUp({ maxAge: 300, factors: ['totp'], service: 'admin' }), adminOnly, (req, res) =>
    res.json({ area: 'admin', user: req.user }),
  );
  app.get('/payments', mfa.protect({ service: 'payments' }), (req, res) => res.json({ user: req.user, balance: 1250 }));
  app.post('/payments/transfer', mfa.protect({ service: 'payments', operation: 'transfer' }), (_req, res) =>
    res.json({ transferred: true }),
  );
  app.post('/payments/refund', mfa.protect({ service: 'payments', operation: 'refund' }), (_req, res) =>
    res.json({ refunded: true }),
  );
  app.get('/profile', signedIn, async (req, res, next) => {
    try {
      res.json({
        user: req.user,
        mfa: await (await mfa.ready).listEnrollments((await passportSessionSubject(req))!), // signedIn ran: there is a subject
        next: PROFILE_NEXT_STEPS,
      });
    } catch (err) {
      next(err);
    }
  });
  app.get('/profile/security', mfa.requireMfa(), signedIn, (req, res) =>
    res.json({ user: req.user, note: 'You verified a second factor in this session.' }),
  );
  return { app, mfa };
}
