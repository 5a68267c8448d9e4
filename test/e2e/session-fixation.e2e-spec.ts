// Invariant: a successful verification (a challenge answered, a factor confirmed) renews the
// session id; everything in the session — passport's user, the app's own data, the MFA state —
// moves to the new id, and the old id carries no MFA state (ASVS 7.2.4, session fixation).
import { JwtService } from '@nestjs/jwt';
import { AuthGuard } from '@nestjs/passport';
import session from 'express-session';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { sessionRefOf } from '../../libs/core/src/audit/audit-trail';
import { JWT_SECRET, JwtBillingController, startNestHost } from '../support/nest-hosts';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

/** The `connect.sid` cookie as the browser holds it, and the session id inside it. */
function sessionCookie(agent: TestAgent): { header: string; sid: string } {
  const jar = (
    agent as unknown as { jar: { getCookie(n: string, o: object): { value: string; toValueString(): string } } }
  ).jar;
  const cookie = jar.getCookie('connect.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false });
  const signed = decodeURIComponent(cookie.value); // s:<sid>.<signature>
  return { header: `connect.sid=${cookie.value}`, sid: signed.slice(2, signed.lastIndexOf('.')) };
}

function stored(store: session.MemoryStore, sid: string): Promise<Record<string, any> | null | undefined> {
  return new Promise((resolve, reject) =>
    store.get(sid, (err, data) => (err ? reject(err) : resolve(data as Record<string, any>))),
  );
}

function put(store: session.MemoryStore, sid: string, data: Record<string, any>): Promise<void> {
  return new Promise((resolve, reject) =>
    store.set(sid, data as session.SessionData, (err) => (err ? reject(err) : resolve())),
  );
}

describe.each(MATRIX)('session fixation on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let sessions: session.MemoryStore;
  beforeEach(async () => {
    sessions = new session.MemoryStore();
    t = await startTestApp(backend, adapter, {}, { sessionStore: sessions });
  });
  afterEach(() => t.close());

  it('renews the session id at verify; user, app data and MFA state move, the old id keeps nothing', async () => {
    const { secret } = await signInEnrolled(t);
    const agent = await signIn(t);
    const before = sessionCookie(agent);
    // The app's own data in the session, as a route of the host would have written it.
    await put(sessions, before.sid, { ...(await stored(sessions, before.sid)), cart: ['book', 'lamp'] });
    const challengeId = await challengeFor(agent);
    await agent
      .post(`/mfa/challenges/${challengeId}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);

    const after = sessionCookie(agent);
    expect(after.sid).not.toBe(before.sid);
    await agent.get('/profile/security').expect(200);
    const renewed = await stored(sessions, after.sid);
    expect(renewed).toMatchObject({ cart: ['book', 'lamp'], passport: { user: 'u-alice' } });

    // The old id: express-session's regenerate destroyed it, so nobody is signed in under it
    // (401 UNAUTHENTICATED), and the store holds no MFA state for it either.
    expect(await stored(sessions, before.sid)).toBeFalsy();
    const old = await request(t.http).get('/profile/security').set('Cookie', before.header).expect(401);
    expect(old.body.code).toBe('UNAUTHENTICATED');
    expect(await t.store.listSessionFactors('u-alice', sessionRefOf(before.sid))).toEqual([]);
    expect(await t.store.listSessionFactors('u-alice', sessionRefOf(after.sid))).toEqual([
      expect.objectContaining({ factor: 'totp' }),
    ]);
  });

  it('renews the session id when a factor is confirmed, which verifies the session too', async () => {
    const agent = await signIn(t);
    const before = sessionCookie(agent);
    const start = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
    await agent
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    const after = sessionCookie(agent);
    expect(after.sid).not.toBe(before.sid);
    expect(await stored(sessions, after.sid)).toMatchObject({ passport: { user: 'u-alice' } });
    await agent.get('/profile/security').expect(200);
    expect(await t.store.listSessionFactors('u-alice', sessionRefOf(before.sid))).toEqual([]);
  });

  it('moves a single-use grant with the session, so the retried operation still runs once', async () => {
    const { agent, secret } = await signInEnrolled(t);
    const transfer = await agent.post('/payments/transfer').expect(401);
    await agent
      .post(`/mfa/challenges/${transfer.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.post('/payments/transfer').expect(200);
    await agent.post('/payments/transfer').expect(401);
  });
});

describe.each(MATRIX)('a session renewal that fails on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  it('voids the verification (503 SESSION_ROTATION_FAILED): the unchanged id is not verified', async () => {
    t = await startTestApp(backend, adapter, {
      rotateSession: () => Promise.reject(new Error('session store unreachable')),
    });
    const agent = await signIn(t);
    const start = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
    const refused = await agent
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(503);
    expect(refused.body.code).toBe('SESSION_ROTATION_FAILED');
    t.clock.advance(30);
    const challengeId = await challengeFor(agent); // still signed in, not verified
    const again = await agent
      .post(`/mfa/challenges/${challengeId}/verify`)
      .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) })
      .expect(503);
    expect(again.body.code).toBe('SESSION_ROTATION_FAILED');
    expect((await agent.get('/profile/security').expect(401)).body.code).toBe('MFA_REQUIRED');
    // Right codes that failed on the app's renewal are not the user's failed attempts: no lockout.
    for (let i = 0; i < 6; i++) {
      t.clock.advance(30);
      const next = await agent
        .post(`/mfa/challenges/${await challengeFor(agent)}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) });
      expect([next.status, next.body.code]).toEqual([503, 'SESSION_ROTATION_FAILED']);
    }
  });
});

describe('a token app renewing its sid through rotateSession', () => {
  it('answers the new token; the old sid carries no MFA state', async () => {
    const jwt = new JwtService({ secret: JWT_SECRET });
    const host = await startNestHost({
      controllers: [JwtBillingController],
      authGuards: [AuthGuard('jwt')],
      sessions: false,
      mfa: {
        rotateSession: (_req, _res, { userId }) => {
          const sid = randomUUID();
          return { sessionId: sid, response: { token: jwt.sign({ sub: userId, sid }) } };
        },
      },
    });
    try {
      const bearer = `Bearer ${(await request(host.http).post('/auth/token').expect(200)).body.token}`;
      const start = await request(host.http)
        .post('/mfa/totp/enrollments')
        .set('Authorization', bearer)
        .send({})
        .expect(201);
      const confirmed = await request(host.http)
        .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
        .set('Authorization', bearer)
        .send({ code: totpAt(start.body.secret, host.clock) })
        .expect(200);
      const renewed = `Bearer ${confirmed.body.session.token}`;
      await request(host.http).get('/billing-jwt').set('Authorization', renewed).expect(200);
      expect((await request(host.http).get('/billing-jwt').set('Authorization', bearer).expect(401)).body.code).toBe(
        'MFA_REQUIRED',
      );
    } finally {
      await host.close();
    }
  });
});
