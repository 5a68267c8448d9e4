// Invariant: a user's sign-in from a country they never verified from is stepped up even where
// the policy asks for no factor, and a verified session that jumps there is challenged again;
// the signals behind it reach the audit trail and explain, never the 401; verifying teaches the
// country, so the next sign-in from there goes through.
import { RISK_LEAK, RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('risk: new-country step-up on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { policy: RISK_POLICY })));
  afterEach(() => t.close());

  it('steps up a sign-in from a new country and tells only the audit trail why', async () => {
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('TR')); // the first verified sign-in: learned, flags nothing
    t.clock.advance(3600);
    await (await signIn(t)).get('/payments').set(from('TR')).expect(200); // at home, MFA stays optional

    const abroad = await signIn(t);
    const refused = await abroad.get('/payments').set(from('BR')).expect(401);
    expect(refused.body).toMatchObject({ code: 'MFA_REQUIRED', challenge: { ruleId: 'step-up-unusual-sign-in' } });
    expect(JSON.stringify(refused.body) + JSON.stringify(refused.headers)).not.toMatch(RISK_LEAK);
    const issued = t.audit.ofType('challenge.issued').at(-1)!;
    expect(issued.ruleId).toBe('step-up-unusual-sign-in');
    expect(issued.reason).toMatch(
      /^risk 1: impossibleTravel \d+ km in 6\d min, newCountry BR; step-up-unusual-sign-in:/,
    );

    await abroad
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .set(from('BR'))
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await abroad.get('/payments').set(from('BR')).expect(200);
    t.clock.advance(60);
    await (await signIn(t)).get('/payments').set(from('BR')).expect(200); // verified once: known now
  });

  it('steps up a new country on its own: a neighbour too close for the travel check, a minute later', async () => {
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('DE'));
    await (await signIn(t)).get('/payments').set(from('AT')).expect(401); // Germany to Austria: within both radii
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(
      /^risk 0\.5: newCountry AT; step-up-unusual-sign-in:/,
    );
    await (await signIn(t)).get('/payments').set(from('DE')).expect(200);
  });

  it('challenges a verified session that jumps to another country, saying why in the drift event', async () => {
    const { secret } = await signInEnrolled(t);
    const session = await signIn(t);
    await verifiedSignIn(t, session, secret, from('TR'));
    await session.get('/payments').set(from('TR')).expect(200);
    t.clock.advance(600);
    const jumped = await session.get('/payments').set(from('JP')).expect(401);
    expect(JSON.stringify(jumped.body)).not.toMatch(RISK_LEAK);
    const drift = t.audit.ofType('session.drift').at(-1)!;
    expect(drift.reason).toMatch(/^risk 1: impossibleTravel \d+ km in 11 min, newCountry JP; .*risk rose from 0 to 1/);
  });

  it('a denial carries the signals in its audit event, and the 403 none of them', async () => {
    await t.close();
    const rules = [{ id: 'refuse-impossible-sign-in', when: { minRisk: 0.8 }, deny: true as const }];
    t = await startTestApp(backend, adapter, { policy: { ...RISK_POLICY, rules } });
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('TR'));
    const denied = await (await signIn(t)).get('/payments').set(from('BR')).expect(403);
    expect(denied.body).toMatchObject({ code: 'MFA_DENIED', ruleId: 'refuse-impossible-sign-in' });
    expect(JSON.stringify(denied.body)).not.toMatch(RISK_LEAK);
    expect(t.audit.ofType('decision.denied').at(-1)!.reason).toMatch(
      /^risk 1: impossibleTravel \d+ km in 1 min, newCountry BR$/,
    );
  });

  it('explain shows an administrator the signals a request would raise', async () => {
    const { secret } = await signInEnrolled(t);
    const admin = await signIn(t);
    await verifiedSignIn(t, admin, secret, from('TR'));
    t.clock.advance(3600);
    const explained = await admin
      .post('/mfa/admin/policy/explain')
      .set(from('TR')) // the administrator, at home
      .send({ userId: 'u-alice', target: { service: 'payments' }, context: { country: 'JP' } })
      .expect(200);
    expect(explained.body).toMatchObject({
      outcome: 'challenge',
      ruleId: 'step-up-unusual-sign-in',
      risk: { score: 1, signals: { newCountry: { country: 'JP' }, impossibleTravel: { minutes: 61 } } },
    });
    const home = await admin
      .post('/mfa/admin/policy/explain')
      .set(from('TR')) // the administrator, at home
      .send({ userId: 'u-alice', target: { service: 'payments' }, context: { country: 'TR' } })
      .expect(200);
    expect(home.body).toMatchObject({ outcome: 'allow' });
    expect(home.body.risk).toBeUndefined(); // no signal fired
  });
});
