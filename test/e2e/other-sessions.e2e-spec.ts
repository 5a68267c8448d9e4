// Invariant: after a factor is added, removed or reset, a recovery ticket is redeemed or
// re-enrollment is forced, the user is told of their other sessions and can end them:
// POST /mfa/sessions/revoke-others (fresh step-up, same-origin) voids the MFA state of every
// other session and, through the app's hook, signs them out; the current one keeps working (ASVS 7.4.3).
import session from 'express-session';
import TestAgent from 'supertest/lib/agent';
import { expressSessionRevoker } from '../../src/express';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const REVOKE = { verb: 'POST', href: '/mfa/sessions/revoke-others' };

/** A second sign-in of the same user, verified with TOTP. */
async function verifiedSession(t: TestApp, secret: string, username = 'alice'): Promise<TestAgent> {
  const agent = await signIn(t, username);
  const challengeId = await challengeFor(agent);
  await agent
    .post(`/mfa/challenges/${challengeId}/verify`)
    .send({ method: 'totp', code: totpAt(secret, t.clock) })
    .expect(200);
  t.clock.advance(30);
  await agent.get('/profile/security').expect(200);
  return agent;
}

/** Adds a second TOTP factor in this (fresh) session; answers the confirmation. */
async function addFactor(t: TestApp, agent: TestAgent) {
  const start = await agent.post('/mfa/totp/enrollments').send({ label: 'Tablet' }).expect(201);
  return (
    await agent
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(200)
  ).body;
}

describe.each(MATRIX)('other sessions on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  describe('without a host hook (MFA state only)', () => {
    beforeEach(async () => (t = await startTestApp(backend, adapter)));

    it('reports other sessions after a factor change; revoke-others voids their MFA state, A keeps working', async () => {
      const a = await signInEnrolled(t);
      const b = await verifiedSession(t, a.secret);
      const added = await addFactor(t, a.agent);
      expect(added.otherSessions).toEqual({ count: 1, revoke: REVOKE });

      const revoked = await a.agent.post('/mfa/sessions/revoke-others').send({}).expect(200);
      expect(revoked.body).toEqual({ mfaStateVoided: 1, sessionsEnded: null });
      // No hook: B is still signed in to the app, but without MFA.
      expect((await b.get('/profile/security').expect(401)).body.code).toBe('MFA_REQUIRED');
      await a.agent.get('/profile/security').expect(200);
      expect(t.audit.events.some((e) => e.type === 'session.others_revoked' && e.userId === 'u-alice')).toBe(true);
    });

    it('offers the end of other sessions when a factor is removed and when a recovery ticket is redeemed', async () => {
      const a = await signInEnrolled(t);
      await verifiedSession(t, a.secret);
      const { factor } = await addFactor(t, a.agent);
      const removed = await a.agent.delete(`/mfa/enrollments/${factor.id}`).expect(200);
      expect(removed.body).toEqual({ removed: true, otherSessions: { count: 1, revoke: REVOKE } });

      const bob = await signInEnrolled(t, 'bob');
      await verifiedSession(t, bob.secret, 'bob');
      const { body: ticket } = await a.agent
        .post('/mfa/admin/users/u-bob/recovery-tickets')
        .send({ reason: 'lost phone' })
        .expect(201);
      const redeemed = await bob.agent.post('/mfa/recovery/redeem').send({ ticket: ticket.ticket }).expect(200);
      // Redeeming wipes every verification; the count is of sessions with MFA state left (none): enrolling anew re-offers it.
      expect(redeemed.body.otherSessions).toEqual({ count: expect.any(Number), revoke: REVOKE });
    });

    it('needs a fresh verification (401 MFA_REQUIRED) and refuses cross-site requests (403 CSRF_REJECTED)', async () => {
      const a = await signInEnrolled(t);
      const b = await verifiedSession(t, a.secret);
      const crossSite = await a.agent
        .post('/mfa/sessions/revoke-others')
        .set('Sec-Fetch-Site', 'cross-site')
        .send({})
        .expect(403);
      expect(crossSite.body.code).toBe('CSRF_REJECTED');
      const foreignOrigin = await a.agent
        .post('/mfa/sessions/revoke-others')
        .set('Origin', 'https://evil.example')
        .send({})
        .expect(403);
      expect(foreignOrigin.body.code).toBe('CSRF_REJECTED');
      t.clock.advance(301);
      const stale = await a.agent.post('/mfa/sessions/revoke-others').send({}).expect(401);
      expect(stale.body.code).toBe('MFA_REQUIRED');
      await b.get('/profile/security').expect(200); // nothing happened to B
    });
  });

  describe('with expressSessionRevoker over the session store', () => {
    let sessions: session.MemoryStore;
    beforeEach(async () => {
      sessions = new session.MemoryStore();
      t = await startTestApp(
        backend,
        adapter,
        { endOtherSessions: expressSessionRevoker(sessions) },
        { sessionStore: sessions },
      );
    });

    it('counts the signed-in sessions and signs B out entirely; A keeps working', async () => {
      const a = await signInEnrolled(t);
      const b = await verifiedSession(t, a.secret);
      await signIn(t, 'bob'); // someone else's session is never touched
      expect((await addFactor(t, a.agent)).otherSessions).toEqual({ count: 1, revoke: REVOKE });

      const revoked = await a.agent.post('/mfa/sessions/revoke-others').send({}).expect(200);
      expect(revoked.body).toEqual({ mfaStateVoided: 1, sessionsEnded: 1 });
      expect((await b.get('/profile/security').expect(401)).body.code).toBe('UNAUTHENTICATED');
      expect((await b.get('/profile').expect(401)).body.code).toBe('UNAUTHENTICATED');
      await a.agent.get('/profile/security').expect(200);
      const left = await new Promise<Record<string, session.SessionData>>((resolve) =>
        sessions.all((_err, all) => resolve(all as Record<string, session.SessionData>)),
      );
      expect(
        Object.values(left)
          .map((s) => (s as { passport?: { user?: string } }).passport?.user)
          .sort(),
      ).toEqual(['u-alice', 'u-bob']);
    });

    it('offers it at the next visit after a forced re-enrollment, and lets the user end them before enrolling again', async () => {
      const admin = await signInEnrolled(t); // alice is an admin of the sample
      const bob = await signInEnrolled(t, 'bob');
      const bobElsewhere = await verifiedSession(t, bob.secret, 'bob');
      const forced = await admin.agent.post('/mfa/admin/users/u-bob/reenrollment').send({}).expect(200);
      expect(forced.body).toEqual({ reenrollmentForced: true, otherSessions: { count: 2 } });

      const refused = await bob.agent.get('/profile/security').expect(403);
      expect(refused.body).toMatchObject({
        code: 'MFA_ENROLLMENT_REQUIRED',
        reason: 'reenrollment_forced',
        otherSessions: { count: 1, revoke: REVOKE },
      });
      // No factor left to step up with: ending sessions only takes access away, so the password suffices.
      expect((await bob.agent.post('/mfa/sessions/revoke-others').send({}).expect(200)).body).toMatchObject({
        sessionsEnded: 1,
      });
      expect((await bobElsewhere.get('/profile').expect(401)).body.code).toBe('UNAUTHENTICATED');
    });
  });
});
