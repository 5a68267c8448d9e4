// Invariant: when the store is unreachable MFA fails closed — 503 MFA_UNAVAILABLE, never 200, never 500.
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('fail closed on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  it('guarded routes and verification answer 503 while the store is down', async () => {
    const { secret, agent: verifiedSession } = await signInEnrolled(t);
    await verifiedSession.get('/profile/security').expect(200);
    const fresh = await signIn(t);
    const id = await challengeFor(fresh);

    await t.store.dataSource.destroy();
    const guarded = await verifiedSession.get('/profile/security').expect(503);
    expect(guarded.body.code).toBe('MFA_UNAVAILABLE');
    const verify = await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: totpAt(secret, t.clock) }).expect(503);
    expect(verify.body.code).toBe('MFA_UNAVAILABLE');
    await fresh.get('/admin').expect(503);
    await fresh.get('/wiki').expect(200); // routes without a requirement do not touch the store
  });
});
