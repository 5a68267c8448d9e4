// Invariant: a TOTP code is accepted at most once (RFC 6238 §5.2, NIST 800-63B) — including the
// code that confirmed enrollment, an older step after a newer one, and concurrent requests.
import { MATRIX, TestApp, challengeFor, signIn, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('TOTP replay on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { lockout: { maxAttempts: 100 } })));
  afterEach(() => t.close());

  async function enroll(): Promise<{ secret: string; enrollmentId: string; confirmCode: string }> {
    const agent = await signIn(t);
    const start = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
    const confirmCode = totpAt(start.body.secret, t.clock);
    await agent
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: confirmCode })
      .expect(200);
    return { secret: start.body.secret, enrollmentId: start.body.enrollmentId, confirmCode };
  }

  async function verify(code: string): Promise<number> {
    const agent = await signIn(t);
    const challengeId = await challengeFor(agent);
    const res = await agent.post(`/mfa/challenges/${challengeId}/verify`).send({ method: 'totp', code });
    return res.status;
  }

  it('refuses the code that confirmed enrollment', async () => {
    const { confirmCode } = await enroll();
    expect(await verify(confirmCode)).toBe(401);
    expect(t.audit.ofType('totp.replay')).toHaveLength(1);
  });

  it('refuses a code the second time, and an older step after a newer one', async () => {
    const { secret } = await enroll();
    t.clock.advance(60);
    const older = totpAt(secret, t.clock);
    t.clock.advance(30);
    const newer = totpAt(secret, t.clock);
    expect(await verify(newer)).toBe(200);
    expect(await verify(newer)).toBe(401);
    expect(await verify(older)).toBe(401); // still inside the ±1 step window, but not after the last accepted step
    expect(t.audit.ofType('totp.replay').length).toBeGreaterThanOrEqual(2);
  });

  it('accepts one of ten concurrent requests carrying the same code', async () => {
    const { secret } = await enroll();
    t.clock.advance(30);
    const code = totpAt(secret, t.clock);
    const agents = await Promise.all(Array.from({ length: 10 }, () => signIn(t)));
    const challenges = await Promise.all(agents.map((a) => challengeFor(a)));
    const statuses = await Promise.all(
      agents.map((a, i) =>
        a
          .post(`/mfa/challenges/${challenges[i]}/verify`)
          .send({ method: 'totp', code })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 401)).toBe(true);
  });

  it('lets exactly one of many concurrent conditional writes spend a step', async () => {
    const { enrollmentId } = await enroll();
    const step = Math.floor(t.clock.now() / 30000) + 5;
    const results = await Promise.all(
      Array.from({ length: 25 }, () => t.store.acceptTotpStep('u-alice', enrollmentId, step, t.clock.now())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
