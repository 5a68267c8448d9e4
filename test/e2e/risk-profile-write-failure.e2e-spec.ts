// Invariant: once a verification is committed (the code spent, the session verified), a risk
// profile that cannot be written does not fail it: the answer is 200, the session is verified,
// the remembered-device cookie is issued, and `risk.learning_failed` is audited. The profile
// not learning only means the user may be asked again later, the safe direction.
import { InMemoryRiskHistoryStore } from '../../libs/core/src';
import { RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('risk: a failed profile write after a verification on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let writable: boolean;
  beforeEach(async () => {
    writable = true;
    const history = new InMemoryRiskHistoryStore();
    const save = history.saveRiskProfile.bind(history);
    history.saveRiskProfile = (profile, readAt) =>
      writable
        ? save(profile, readAt)
        : Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    t = await startTestApp(backend, adapter, {
      policy: RISK_POLICY,
      risk: { history },
      trustedDeviceCookie: { secure: false },
    });
  });
  afterEach(() => t.close());

  it('keeps the verification, issues the device, and audits the lost lesson', async () => {
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('TR'));
    t.clock.advance(86_400);
    const session = await signIn(t);
    const refused = await session.get('/payments').set(from('FR')).expect(401);

    writable = false; // the database goes away between the read and the write
    const verified = await session
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .set(from('FR'))
      .send({ method: 'totp', code: totpAt(secret, t.clock), rememberDevice: true })
      .expect(200);
    expect(verified.body.trustedDevice).toMatchObject({ label: 'Firefox on Linux' });
    expect(String(verified.headers['set-cookie'])).toMatch(/mfa_device=/);
    expect(t.audit.ofType('challenge.verified')).toHaveLength(2);
    expect(t.audit.ofType('risk.learning_failed').at(-1)).toMatchObject({
      severity: 'warning',
      reason: 'profile not saved: ECONNREFUSED',
    });
    // Verified, and not asked again at once: this instance keeps what the verification taught.
    await session.get('/payments').set(from('FR')).expect(200);
    await session.get('/profile/security').set(from('FR')).expect(200);

    writable = true;
    t.clock.advance(60); // past the profile cache: the store never learned FR, so a new sign-in is asked again
    await (await signIn(t)).get('/payments').set(from('FR')).expect(401);
  });
});
