// Invariant: only a successful verification teaches a user's risk profile. Someone holding the
// password, signing in from their own country and failing the second factor any number of
// times, never makes that country (or their device) look familiar: the next sign-in from there
// is still stepped up, and the explanation still names it new.
import { FIREFOX_LINUX, RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp } from '../support/test-app';

const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1';

describe.each(MATRIX)('risk: unverified requests never teach on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { policy: RISK_POLICY })));
  afterEach(() => t.close());

  it("an attacker's failed attempts leave their country and device unknown", async () => {
    const { secret } = await signInEnrolled(t);
    const owner = await signIn(t);
    await verifiedSignIn(t, owner, secret, from('DE'));
    t.clock.advance(86_400);

    const attacker = { ...from('RU'), 'user-agent': SAFARI_IPHONE };
    for (let i = 0; i < 3; i++) {
      const session = await signIn(t);
      const refused = await session.get('/payments').set(attacker).expect(401);
      for (const code of ['000000', '123456'])
        await session
          .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
          .set(attacker)
          .send({ method: 'totp', code })
          .expect(401);
      await session.get('/profile').set(attacker).expect(200); // the app's own pages do not teach either
      t.clock.advance(3600);
    }

    const later = await signIn(t);
    await later.get('/payments').set(attacker).expect(401);
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(
      /newCountry RU, newDevice Safari\/iOS, failureBurst 6;/,
    );
    const admin = await signIn(t); // admin routes want a recent verification: the owner, at home
    await verifiedSignIn(t, admin, secret, from('DE'));
    const explained = await admin
      .post('/mfa/admin/policy/explain')
      .set(from('DE'))
      .send({
        userId: 'u-alice',
        target: { service: 'payments' },
        context: { country: 'RU' },
      })
      .expect(200);
    expect(explained.body.risk.signals.newCountry).toEqual({ country: 'RU' });
    await (await signIn(t)).get('/payments').set(from('DE')).set('user-agent', FIREFOX_LINUX).expect(200);
  });
});
