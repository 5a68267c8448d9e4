// Invariant: a WebAuthn challenge is random, single-use, short-lived and bound to one user and one
// purpose (an enrollment, one MFA challenge, or one operation's grant); used for anything else it fails.
import type { Response, Test } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { PolicyDocument } from '../../libs/core/src';
import type { MfaOptions } from '../../libs/setup/src';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { enrollPasskey, PASSKEY_OPTIONS, PASSKEY_ORIGIN } from '../support/passkeys';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, startTestApp } from '../support/test-app';

// Each transfer needs a passkey assertion of its own: a single-use grant (maxAge 0).
const POLICY: PolicyDocument = {
  ...FIXTURE_POLICY,
  services: {
    ...FIXTURE_POLICY.services,
    payments: {
      ...FIXTURE_POLICY.services!.payments,
      operations: { transfer: { require: { factor: 'webauthn', maxAge: 0 } } },
    },
  },
};

describe.each(MATRIX)('WebAuthn challenge binding on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const start = async (webauthn: Partial<NonNullable<MfaOptions['webauthn']>> = {}) =>
    (t = await startTestApp(backend, adapter, {
      webauthn: { ...PASSKEY_OPTIONS.webauthn!, ...webauthn },
      policy: POLICY,
      lockout: { maxAttempts: 100 },
    }));
  afterEach(() => t.close());

  /** A user with one registered passkey, and a fresh session of theirs that has verified nothing. */
  async function withPasskey(username = 'alice'): Promise<{ authenticator: SoftAuthenticator; session: TestAgent }> {
    const authenticator = new SoftAuthenticator();
    await enrollPasskey(await signIn(t, username), authenticator);
    return { authenticator, session: await signIn(t, username) };
  }
  const options = async (agent: TestAgent, challengeId: string) =>
    (await agent.post(`/mfa/challenges/${challengeId}/webauthn`).send({}).expect(200)).body;
  const verify = (agent: TestAgent, challengeId: string, response: object): Test =>
    agent.post(`/mfa/challenges/${challengeId}/verify`).send({ method: 'webauthn', response });
  const refusals = () => t.audit.ofType('webauthn.assertion_refused').map((e) => e.reason);

  function expectInvalid(res: Response): void {
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_CODE');
  }

  it('refuses a verified assertion replayed on its own challenge and on a new challenge of the session', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const id = await challengeFor(session);
    const assertion = authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN);
    expect((await verify(session, id, assertion)).status).toBe(200);
    await session.get('/profile/security').expect(200);

    expectInvalid(await verify(session, id, assertion));
    const transfer = await session.post('/payments/transfer').expect(401);
    const next = transfer.body.challenge.id;
    await options(session, next); // a live WebAuthn challenge for the new MFA challenge: still not the old one
    expectInvalid(await verify(session, next, assertion));
    expect(refusals()).toEqual(['challenge not issued for this challenge, spent or expired']);
    await session.post('/payments/transfer').expect(401);
  });

  it('refuses an assertion over one MFA challenge posted to another challenge of the same session', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const first = await challengeFor(session);
    // A second pending challenge of this session, for another rule: the payments service's own step.
    const second = (await session.post('/payments/transfer').expect(401)).body.challenge.id;
    expect(second).not.toBe(first);
    const overFirst = authenticator.assert((await options(session, first)).options, PASSKEY_ORIGIN);
    const overSecond = authenticator.assert((await options(session, second)).options, PASSKEY_ORIGIN);

    expectInvalid(await verify(session, second, overFirst));
    expectInvalid(await verify(session, first, overSecond));
    await session.get('/profile/security').expect(401);
    // Each is good where it belongs: the refusals were about the binding alone.
    expect((await verify(session, first, overFirst)).status).toBe(200);
    expect((await verify(session, second, overSecond)).status).toBe(200);
    await session.get('/profile/security').expect(200);
  });

  it('keeps an enrollment challenge and an MFA challenge apart, in both directions', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const login = await challengeFor(session);
    await verify(session, login, authenticator.assert((await options(session, login)).options, PASSKEY_ORIGIN)).expect(
      200,
    );
    const enrollment = (await session.post('/mfa/webauthn/enrollments').send({}).expect(201)).body;
    const transfer = (await session.post('/payments/transfer').expect(401)).body.challenge.id;
    const request = (await options(session, transfer)).options;

    const overEnrollment = authenticator.assert(request, PASSKEY_ORIGIN, { challenge: enrollment.options.challenge });
    expectInvalid(await verify(session, transfer, overEnrollment));
    const second = new SoftAuthenticator();
    const overRequest = second.register(enrollment.options, PASSKEY_ORIGIN, { challenge: request.challenge });
    const confirm = await session
      .post(`/mfa/webauthn/enrollments/${enrollment.enrollmentId}/confirm`)
      .send({ response: overRequest });
    expectInvalid(confirm);
    await session.post('/payments/transfer').expect(401);

    // Neither challenge was spent by the misuse: each still works for its own purpose.
    await verify(session, transfer, authenticator.assert(request, PASSKEY_ORIGIN)).expect(200);
    await session
      .post(`/mfa/webauthn/enrollments/${enrollment.enrollmentId}/confirm`)
      .send({ response: new SoftAuthenticator().register(enrollment.options, PASSKEY_ORIGIN) })
      .expect(200);
  });

  it("refuses another user's WebAuthn challenge in an assertion", async () => {
    await start();
    const alice = await withPasskey('alice');
    const bob = await withPasskey('bob');
    const aliceChallenge = await challengeFor(alice.session);
    const bobChallenge = await challengeFor(bob.session);
    const bobs = (await options(bob.session, bobChallenge)).options;
    const alices = (await options(alice.session, aliceChallenge)).options;

    const signed = alice.authenticator.assert(alices, PASSKEY_ORIGIN, { challenge: bobs.challenge });
    expectInvalid(await verify(alice.session, aliceChallenge, signed));
    expect(t.audit.ofType('webauthn.assertion_refused').map((e) => e.userId)).toEqual(['u-alice']);
    await alice.session.get('/profile/security').expect(401);
    // Bob's own challenge is untouched by it.
    await verify(bob.session, bobChallenge, bob.authenticator.assert(bobs, PASSKEY_ORIGIN)).expect(200);
  });

  it('lets a WebAuthn challenge expire after webauthn.timeout, before the MFA challenge does', async () => {
    await start({ timeout: 60 });
    const { authenticator, session } = await withPasskey();
    const id = await challengeFor(session);
    const issued = await options(session, id);
    expect(issued.options.timeout).toBe(60_000);
    expect(Date.parse(issued.expiresAt)).toBe(t.clock.now() + 60_000);
    const late = authenticator.assert(issued.options, PASSKEY_ORIGIN);

    t.clock.advance(61);
    expectInvalid(await verify(session, id, late));
    expect(refusals()).toEqual(['challenge not issued for this challenge, spent or expired']);
    // The MFA challenge itself is still open: a fresh WebAuthn challenge answers it.
    await verify(session, id, authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN)).expect(200);
  });

  it('replaces the older WebAuthn challenge when new options are requested', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const id = await challengeFor(session);
    const older = authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN);
    const newer = authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN);

    expectInvalid(await verify(session, id, older));
    await verify(session, id, newer).expect(200);
  });

  it('draws every challenge from 32 random bytes and stores only a keyed digest of it', async () => {
    await start();
    const { session } = await withPasskey();
    const id = await challengeFor(session);
    const challenges: string[] = [];
    for (let i = 0; i < 30; i++) challenges.push((await options(session, id)).options.challenge);

    expect(new Set(challenges).size).toBe(30);
    for (const c of challenges) {
      expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(c, 'base64url').length).toBeGreaterThanOrEqual(32);
    }
    const rows = await t.store.dataSource.query(
      "SELECT consumed_at FROM mfa_otp_codes WHERE channel = 'webauthn' AND purpose LIKE '%challenge:%'",
    );
    expect(rows.filter((r: { consumed_at: unknown }) => r.consumed_at === null)).toHaveLength(1); // only the newest lives
    const stored = JSON.stringify(await t.store.dataSource.query('SELECT * FROM mfa_otp_codes'));
    for (const c of challenges) {
      const raw = Buffer.from(c, 'base64url');
      for (const form of [c, raw.toString('base64'), raw.toString('hex')]) expect(stored).not.toContain(form);
    }
    // Each request writes a row: past 30 in ten minutes they are refused, so no session grows the table at will.
    const refused = await session.post(`/mfa/challenges/${id}/webauthn`).send({}).expect(429);
    expect(refused.body.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(601);
    await options(session, await challengeFor(session));
  });

  it('spends a single-use grant on one transfer; the next transfer refuses the old assertion', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const login = await challengeFor(session);
    await verify(session, login, authenticator.assert((await options(session, login)).options, PASSKEY_ORIGIN)).expect(
      200,
    );
    const first = await session.post('/payments/transfer').expect(401);
    expect(first.body.challenge.requirement.steps).toEqual([{ factors: ['webauthn'], maxAge: 0 }]);
    const id = first.body.challenge.id;
    const assertion = authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN);
    await verify(session, id, assertion).expect(200);
    await session.post('/payments/transfer').expect(200);

    const again = await session.post('/payments/transfer').expect(401);
    const next = again.body.challenge.id;
    expect(next).not.toBe(id);
    const request = (await options(session, next)).options;
    expectInvalid(await verify(session, next, assertion));
    await session.post('/payments/transfer').expect(401);
    await verify(session, next, authenticator.assert(request, PASSKEY_ORIGIN)).expect(200);
    await session.post('/payments/transfer').expect(200);
    expect(t.audit.ofType('grant.spent')).toHaveLength(2);
  });

  it('accepts one of ten concurrent verifications carrying the same assertion', async () => {
    await start();
    const { authenticator, session } = await withPasskey();
    const id = await challengeFor(session);
    const assertion = authenticator.assert((await options(session, id)).options, PASSKEY_ORIGIN);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => verify(session, id, assertion).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(9);
    expect(t.audit.ofType('challenge.verified')).toHaveLength(1);
    // The same assertion sent ten times is a replay, never mistaken for a cloned authenticator.
    expect(t.audit.ofType('webauthn.cloned_authenticator')).toHaveLength(0);
    const live = await t.store.dataSource.query(
      "SELECT id FROM mfa_otp_codes WHERE channel = 'webauthn' AND consumed_at IS NULL AND purpose LIKE '%challenge:%'",
    );
    expect(live).toHaveLength(0);
  });
});
