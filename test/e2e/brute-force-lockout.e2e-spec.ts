// Invariant: after the attempt limit a channel is locked — a right code gets the same
// 429 MFA_LOCKED as a wrong one — and concurrent guesses never evaluate more than the limit.
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('brute-force lockout on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  it('locks the channel after 5 failures, hides whether the next code was right, and lifts after the window', async () => {
    const { secret } = await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    const send = (code: string) => agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code });
    for (let i = 0; i < 5; i++) await send('111111').expect(401);
    const wrong = await send('111111').expect(429);
    const right = await send(totpAt(secret, t.clock)).expect(429);
    expect(right.body).toEqual(wrong.body);
    expect(right.body.code).toBe('MFA_LOCKED');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);

    t.clock.advance(901); // the lock lifts; the challenge (10 min) has expired meanwhile, so answer a new one
    const next = await challengeFor(agent);
    await agent
      .post(`/mfa/challenges/${next}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
  });

  it('evaluates at most 5 of 40 concurrent wrong guesses', async () => {
    await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        agent
          .post(`/mfa/challenges/${id}/verify`)
          .send({ method: 'totp', code: '222222' })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    expect(t.audit.ofType('attempt.failed')).toHaveLength(5);
  });
});
