// Retention never deletes what a live flow still needs: a challenge issued before a prune
// still verifies after it, a remembered device still stands in for a step, and a session's
// verification lasts as long as the session may use it — while dead rows from the same
// flows are gone and the run is audited once, as a summary.
import { DEVICE_POLICY, FIREFOX_LINUX, rememberThisBrowser, signInAgain } from '../support/devices';
import { BACKENDS } from '../support/backends';
import { signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

const HOURS_2 = 2 * 3600;

// Retention runs in the engine beneath the adapters, so one adapter per backend covers it.
describe.each(BACKENDS.map((b) => [b.name, b] as const))('retention never prunes live flows on %s', (_n, backend) => {
  let t: TestApp;
  afterEach(() => t.close());

  const count = async (table: string) =>
    Number((await t.store.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('a challenge issued before a prune still verifies after it; an abandoned one is pruned', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY });
    const { agent, secret } = await signInEnrolled(t);
    await signInAgain(agent);
    await agent.get('/payments').expect(401); // abandoned
    t.clock.advance(HOURS_2); // past its expiry and the grace
    await signInAgain(agent);
    const live = (await agent.get('/payments').expect(401)).body.challenge.id;

    const counts = await t.engine.pruneExpired();

    expect(counts.challenges).toBeGreaterThanOrEqual(1);
    expect(await count('mfa_challenges')).toBe(1);
    await agent
      .post(`/mfa/challenges/${live}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.get('/payments').expect(200);
    expect(t.audit.ofType('retention.pruned')).toEqual([
      expect.objectContaining({ actor: 'retention', reason: expect.stringMatching(/challenges=\d+/) }),
    ]);
  });

  it('a remembered device still stands in for a step after a prune', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
    const { agent, secret } = await signInEnrolled(t);
    agent.set('User-Agent', FIREFOX_LINUX);
    await signInAgain(agent);
    await rememberThisBrowser(t, agent, secret);
    t.clock.advance(HOURS_2);

    await t.engine.pruneExpired();

    expect(await count('mfa_trusted_devices')).toBe(1);
    await signInAgain(agent);
    await agent.get('/payments').expect(200);
  });

  it('keeps a session verification while the session may use it; past sessionDays it is asked for again', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY, retention: { sessionDays: 1 } });
    const { agent } = await signInEnrolled(t); // enrolling verified this session
    await agent.get('/payments').expect(200);
    t.clock.advance(20 * 3600);
    await t.engine.pruneExpired();
    await agent.get('/payments').expect(200);

    t.clock.advance(6 * 3600); // now 26 h: past a day and the grace
    expect((await t.engine.pruneExpired()).sessionVerifications).toBeGreaterThanOrEqual(1);
    // The safe direction: asked again, never let through on a verification that is gone.
    await agent.get('/payments').expect(401);
  });
});
