// Invariant: a wrong code, an unknown challenge, another user's challenge, an expired challenge and
// a spent challenge get the same status and body — the answer reveals nothing beyond "invalid".
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('no challenge oracle on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { lockout: { maxAttempts: 100 } })));
  afterEach(() => t.close());

  it('answers every kind of bad challenge exactly like a wrong code', async () => {
    const alice = await signInEnrolled(t, 'alice');
    const bob = await signInEnrolled(t, 'bob');
    const aliceSession = await signIn(t, 'alice');
    const bobSession = await signIn(t, 'bob');
    const aliceChallenge = await challengeFor(aliceSession);
    const bobChallenge = await challengeFor(bobSession);
    const good = () => totpAt(alice.secret, t.clock);

    const answers = [];
    const attempt = (id: string, code: string) =>
      aliceSession
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'totp', code })
        .then((r) => ({ status: r.status, body: r.body }));
    answers.push(await attempt(aliceChallenge, '000000')); // wrong code
    answers.push(await attempt('6b1e3c59-0000-4000-8000-000000000000', good())); // unknown challenge
    answers.push(await attempt('x'.repeat(300), good())); // absurd id
    answers.push(await attempt(bobChallenge, totpAt(bob.secret, t.clock))); // another user's challenge
    const otherSession = await signIn(t, 'alice');
    answers.push(
      await otherSession
        .post(`/mfa/challenges/${aliceChallenge}/verify`)
        .send({ method: 'totp', code: good() })
        .then((r) => ({ status: r.status, body: r.body })),
    ); // same user, another session
    t.clock.advance(601);
    answers.push(await attempt(aliceChallenge, good())); // expired

    for (const answer of answers) {
      expect(answer).toEqual({
        status: 401,
        body: { statusCode: 401, code: 'INVALID_CODE', message: 'The code or challenge is invalid or has expired.' },
      });
    }
  });

  it('a completed challenge cannot be answered again', async () => {
    const { secret } = await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    t.clock.advance(30);
    const res = await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(401);
    expect(res.body.code).toBe('INVALID_CODE');
  });
});
