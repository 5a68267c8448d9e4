// Each way a host app can wire MFA wrong answers 401 UNAUTHENTICATED with a `reason` naming
// the precondition that failed (never a 200, never one message for five mistakes), and the
// log says how to fix it once per process, not once per request.
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import request from 'supertest';
import { createMfa } from '../../libs/express/src';
import { BillingController, startNestHost } from '../support/nest-hosts';
import { TEST_KEY } from '../support/test-app';

function captureStderr(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (
    lines.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  return { lines, restore: () => void (process.stderr.write = original) };
}

describe('host wiring mistakes', () => {
  let stderr: ReturnType<typeof captureStderr>;
  beforeEach(() => (stderr = captureStderr()));
  afterEach(() => stderr.restore());

  it('Nest without passport.session(): passport_session_not_restored, logged once', async () => {
    const host = await startNestHost({ controllers: [BillingController], sessions: { passport: false } });
    try {
      const agent = request.agent(host.http);
      await agent.post('/auth/session').expect(200);
      for (let i = 0; i < 3; i++) {
        const refused = await agent.get('/billing').expect(401);
        expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'passport_session_not_restored' });
      }
      await agent
        .post('/mfa/totp/enrollments')
        .send({})
        .expect(401)
        .expect((r) => expect(r.body.reason).toBe('passport_session_not_restored'));
      const logged = stderr.lines.filter((l) => l.includes('passport_session_not_restored'));
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatch(/passport\.session\(\)/);
    } finally {
      await host.close();
    }
  });

  it('Express with mfa.router mounted before the session middleware: no_session_middleware', async () => {
    const mfa = createMfa({
      encryption: { keys: [{ id: 'k1', key: TEST_KEY }] },
      database: { type: 'better-sqlite3', database: ':memory:' },
      audit: { emit: () => undefined },
    });
    await mfa.ready;
    const app = express();
    app.use(express.json());
    app.use(mfa.router); // too early: the session below has not run yet for these routes
    app.use(
      session({ secret: 'host', resave: false, saveUninitialized: false }),
      passport.initialize(),
      passport.session(),
    );
    passport.serializeUser((user, done) => done(null, user));
    passport.deserializeUser((user: Express.User, done) => done(null, user));
    app.post('/login', (req, res, next) =>
      req.login({ id: 'alice' }, (err) => (err ? next(err) : res.json({ ok: true }))),
    );
    app.get('/billing', mfa.requireMfa(), (_req, res) => res.json({ billing: true }));
    try {
      const agent = request.agent(app);
      await agent.post('/login').expect(200);
      await agent.get('/billing').expect(403); // the route itself is mounted after the session: it works
      const refused = await agent.post('/mfa/totp/enrollments').send({}).expect(401);
      expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'no_session_middleware' });
      expect(stderr.lines.join('')).toMatch(/no_session_middleware\).*before app\.use\(mfa\.router\)/);
      // A first visit with no cookie at all is simply not signed in.
      await request(app)
        .post('/mfa/totp/enrollments')
        .send({})
        .expect(401)
        .expect((r) => expect(r.body.reason).toBe('not_signed_in'));
    } finally {
      await mfa.close();
    }
  });
});
