// Invariant: the baseline a verification leaves is its request's risk once learned, not the risk
// it was answered at. What the verification answered for (a new country, the trip there) does not
// stay in it to mask what comes later: a session verified from a new country and then replayed
// from another is challenged again, and a verification at the highest risk does not switch off
// `continuous.riskIncrease` for the rest of the session.
import { RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('risk: a verification baseline never masks later risk on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { policy: RISK_POLICY })));
  afterEach(() => t.close());

  async function stepUp(session: Awaited<ReturnType<typeof signIn>>, secret: string, headers: Record<string, string>) {
    const refused = await session.get('/payments').set(headers).expect(401);
    await session
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .set(headers)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await session.get('/payments').set(headers).expect(200);
    return refused;
  }

  it('challenges a session verified from a new country when it is replayed from a third', async () => {
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('TR')); // the user's own country
    t.clock.advance(86_400);
    const session = await signIn(t);
    await stepUp(session, secret, from('FR')); // answered at 0.5 (a new country); after learning FR, 0
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(/^risk 0\.5: newCountry FR;/);
    t.clock.advance(600);

    // The session cookie, stolen and replayed from Germany: 0.5, a rise of 0.5 over the baseline of 0.
    const replayed = await session.get('/payments').set(from('DE')).expect(401);
    expect(replayed.body.code).toBe('MFA_REQUIRED');
    expect(t.audit.ofType('session.drift').at(-1)!.reason).toMatch(
      /^risk 0\.5: newCountry DE; .*risk rose from 0 to 0\.5/,
    );
    await session.get('/payments').set(from('FR')).expect(200); // back where it verified: nothing rose
  });

  it('keeps checking a session verified at the highest risk', async () => {
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('TR'));
    t.clock.advance(3600);
    const session = await signIn(t);
    await stepUp(session, secret, from('BR')); // answered at 1: a new country, too far for an hour
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(/^risk 1: impossibleTravel/);
    t.clock.advance(600);

    await session.get('/payments').set(from('JP')).expect(401); // 1 again: over a baseline of 0, not of 1
    expect(t.audit.ofType('session.drift').at(-1)!.reason).toMatch(/risk rose from 0 to 1/);
  });
});
