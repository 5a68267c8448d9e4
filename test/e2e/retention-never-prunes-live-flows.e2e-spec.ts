// Retention never deletes what a live flow still needs: a challenge issued before a prune
// still verifies after it, a remembered device still stands in for a step, and a session's
// verification lasts as long as the session may use it — while dead rows from the same
// flows are gone and the run is audited once, as a summary.
import { DEVICE_POLICY, FIREFOX_LINUX, rememberThisBrowser, signInAgain } from '../support/devices';
import { MfaTrustedDeviceEntity } from '../../libs/typeorm/src/entities/mfa-trusted-device.entity';
import { BACKENDS } from '../support/backends';
import { device } from '../support/retention-rows';
import { signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

const HOURS_2 = 2 * 3600;

// Retention runs in the engine beneath the adapters, so one adapter per backend covers it.
describe.each(BACKENDS.map((b) => [b.name, b] as const))('retention never prunes live flows on %s', (_n, backend) => {
  let t: TestApp;
  afterEach(() => t.close());

  const count = async (table: string) =>
    Number((await t.store.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('a challenge about to expire, and one expired within the grace, survive a prune; an abandoned one does not', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY });
    const { agent, secret } = await signInEnrolled(t);
    await signInAgain(agent);
    await agent.get('/payments').expect(401); // abandoned
    t.clock.advance(HOURS_2); // past its expiry (10 min) and the grace (1 h)
    await signInAgain(agent);
    await agent.get('/payments').expect(401); // expires at +10 min
    t.clock.advance(40 * 60); // expired 30 min ago: dead, but inside the grace
    await signInAgain(agent);
    const live = (await agent.get('/payments').expect(401)).body.challenge.id;
    t.clock.advance(590); // 10 s before its expiry

    const counts = await t.engine.pruneExpired();

    expect(counts.challenges).toBeGreaterThanOrEqual(1);
    expect(await count('mfa_challenges')).toBe(2); // the one within the grace and the live one
    await agent
      .post(`/mfa/challenges/${live}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.get('/payments').expect(200);
    expect(t.audit.ofType('retention.pruned')).toEqual([
      expect.objectContaining({ actor: 'retention', reason: expect.stringMatching(/challenges=\d+/) }),
    ]);
  });

  it('with retention.enabled false, engine.pruneExpired() still prunes the store (the job path)', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY, retention: { enabled: false } });
    const { agent } = await signInEnrolled(t);
    await signInAgain(agent);
    await agent.get('/payments').expect(401);
    t.clock.advance(HOURS_2);

    const counts = await t.engine.pruneExpired();

    expect(counts.challenges).toBeGreaterThanOrEqual(1);
    expect(await count('mfa_challenges')).toBe(0);
  });

  it('prunes a revoked and an expired device while a remembered one still stands in for a step', async () => {
    t = await startTestApp(backend, 'nest', { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
    const { agent, secret } = await signInEnrolled(t);
    agent.set('User-Agent', FIREFOX_LINUX);
    await signInAgain(agent);
    await rememberThisBrowser(t, agent, secret);
    const [revoked] = await t.store.dataSource.getRepository(MfaTrustedDeviceEntity).find();
    await t.engine.adminRevokeDevice({ userId: 'admin', sessionId: 'admin-session' }, revoked.userId, revoked.id);
    await signInAgain(agent);
    await rememberThisBrowser(t, agent, secret); // the revoked cookie no longer counts: a new device
    // A device whose trust ran out: 30 days of waiting, written directly.
    const now = t.clock.now();
    await t.store.dataSource
      .getRepository(MfaTrustedDeviceEntity)
      .insert({ ...device('expired-device', now - 60_000), userId: revoked.userId, createdAt: now - 31 * 86_400_000 });
    t.clock.advance(HOURS_2);

    expect((await t.engine.pruneExpired()).trustedDevices).toBe(2);

    const left = await t.store.dataSource.getRepository(MfaTrustedDeviceEntity).find();
    expect(left).toEqual([expect.objectContaining({ revokedAt: null })]);
    expect(left[0].id).not.toBe(revoked.id);
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

  it('keeps session verifications as long as a policy step’s maxAge when it is longer than sessionDays', async () => {
    const policy = {
      ...DEVICE_POLICY,
      rules: [
        ...DEVICE_POLICY.rules!,
        { id: 'weekly', when: { minRisk: 0.95 }, require: { any: true as const, maxAge: 3 * 86_400 } },
      ],
    };
    t = await startTestApp(backend, 'nest', { policy, retention: { sessionDays: 1 } });
    const { agent } = await signInEnrolled(t);
    await agent.get('/payments').expect(200);
    t.clock.advance(26 * 3600); // past sessionDays and the grace, within the policy's 3 days

    expect((await t.engine.pruneExpired()).sessionVerifications ?? 0).toBe(0);
    await agent.get('/payments').expect(200);
  });
});
