// A trusted device must not outlive the reasons it was trusted: a password change, a
// factor reset, a risky request, or a revocation by the user or an admin voids it.
import TestAgent from 'supertest/lib/agent';
import { DEVICE_POLICY, FIREFOX_LINUX, rememberThisBrowser, signInAgain } from '../support/devices';
import { MATRIX, TestApp, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('stale device trust on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  async function start(policy = DEVICE_POLICY, extra = {}) {
    t = await startTestApp(backend, adapter, { policy, trustedDeviceCookie: { secure: false }, ...extra });
  }

  async function trusted(): Promise<{ agent: TestAgent; secret: string }> {
    const { agent, secret } = await signInEnrolled(t);
    agent.set('User-Agent', FIREFOX_LINUX);
    await signInAgain(agent);
    await rememberThisBrowser(t, agent, secret);
    await signInAgain(agent);
    await agent.get('/payments').expect(200);
    return { agent, secret };
  }

  it('a password change voids every device of the user', async () => {
    await start();
    const { agent } = await trusted();
    expect(await t.engine.passwordChanged('u-alice')).toBe(1);
    await agent.get('/payments').expect(401);
    expect(t.audit.ofType('device.revoked')[0]).toMatchObject({
      userId: 'u-alice',
      reason: '1 device(s): password-change',
    });
  });

  it('removing a factor voids the devices it vouched for', async () => {
    await start();
    const { agent, secret } = await trusted();
    // A second factor, then the TOTP goes: both need a fresh verification in this session.
    const challenge = await agent.get('/profile/security').expect(401);
    t.clock.advance(30);
    await agent
      .post(`/mfa/challenges/${challenge.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    const totp = (await agent.get('/mfa/enrollments').expect(200)).body.factors[0];
    await agent.delete(`/mfa/enrollments/${totp.id}`).expect(200);
    expect((await agent.get('/mfa/devices').expect(200)).body.devices).toEqual([]);
    await signInAgain(agent);
    const res = await agent.get('/payments');
    expect([401, 403]).toContain(res.status); // challenged, or told to enroll: never let through by the old device
  });

  it('a request at the revokeAtRisk level voids the device', async () => {
    let risk = 0;
    await start({ ...DEVICE_POLICY, devices: { revokeAtRisk: 0.8 } }, { riskSignal: () => risk });
    const { agent } = await trusted();
    risk = 0.9;
    await agent.get('/payments').expect(401);
    risk = 0;
    await agent.get('/payments').expect(401);
    expect(t.audit.ofType('device.revoked')[0].reason).toMatch(/session risk 0.9/);
  });

  it('the user revokes a device with a fresh verification', async () => {
    await start();
    const { agent, secret } = await trusted();
    const [device] = (await agent.get('/mfa/devices').expect(200)).body.devices;
    const refused = await agent.delete(`/mfa/devices/${device.id}`).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    t.clock.advance(30);
    await agent
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.delete(`/mfa/devices/${device.id}`).expect(200);
    await agent.delete(`/mfa/devices/${device.id}`).expect(404);
    await signInAgain(agent);
    await agent.get('/payments').expect(401);
  });
});
