// A forged, tampered, expired, revoked or other user's trusted-device cookie is ignored:
// the user is simply challenged, and the attempt is audited. Nothing tells the client why.
import { DEVICE_POLICY, FIREFOX_LINUX, rememberThisBrowser, signInAgain } from '../support/devices';
import { MATRIX, TestApp, signInEnrolled, startTestApp } from '../support/test-app';
import TestAgent from 'supertest/lib/agent';
import request from 'supertest';

describe.each(MATRIX)('forged device cookies on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(
    async () =>
      (t = await startTestApp(backend, adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } })),
  );
  afterEach(() => t.close());

  async function trusted(username = 'alice'): Promise<{ agent: TestAgent; cookie: string }> {
    const { agent, secret } = await signInEnrolled(t, username);
    agent.set('User-Agent', FIREFOX_LINUX);
    await signInAgain(agent, username);
    const res = await rememberThisBrowser(t, agent, secret);
    const cookie = /mfa_device=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    await signInAgain(agent, username);
    return { agent, cookie };
  }

  /** The same session from the same browser, presenting `value` as its device cookie (and no other). */
  const withCookie = (agent: TestAgent, value: string) =>
    request(t.http)
      .get('/payments')
      .set('User-Agent', FIREFOX_LINUX)
      .set('Cookie', `${sessionCookie(agent)}; mfa_device=${value}`);
  const sessionCookie = (agent: TestAgent) =>
    (agent as unknown as { jar: { getCookie(n: string, o: object): { toValueString(): string } } }).jar
      .getCookie('connect.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false })
      .toValueString();

  it('works with the real cookie (the baseline the others depart from)', async () => {
    const { agent, cookie } = await trusted();
    await withCookie(agent, cookie).expect(200);
  });

  it.each([
    ['a made-up token', (c: string) => `${c.split('.')[0]}.${'A'.repeat(43)}`],
    ['a tampered token', (c: string) => c.slice(0, -1) + (c.endsWith('A') ? 'B' : 'A')],
    ['an unknown id', (c: string) => `00000000-0000-4000-8000-000000000000.${c.split('.')[1]}`],
    ['garbage', () => 'not-a-device'],
    ['an empty value', () => '""'],
  ])('ignores %s and challenges', async (_label, forge) => {
    const { agent, cookie } = await trusted();
    const res = await withCookie(agent, forge(cookie)).expect(401);
    expect(res.body.code).toBe('MFA_REQUIRED');
    if (forge(cookie) !== '""') expect(t.audit.ofType('device.rejected').length).toBeGreaterThan(0);
  });

  it("ignores another user's device", async () => {
    const alice = await trusted('alice');
    const bob = await trusted('bob');
    await withCookie(bob.agent, alice.cookie).expect(401);
    expect(t.audit.ofType('device.rejected').at(-1)).toMatchObject({
      userId: 'u-bob',
      reason: 'unknown or forged device token',
    });
  });

  it('ignores an expired device (31 days later)', async () => {
    const { agent } = await trusted();
    t.clock.advance(31 * 86_400);
    await agent.get('/payments').expect(401);
    expect(t.audit.ofType('device.rejected').at(-1)!.reason).toBe('expired');
  });

  it('ignores a revoked device', async () => {
    const { agent } = await trusted();
    const devices = (await agent.get('/mfa/devices').expect(200)).body.devices;
    await t.engine.adminRevokeDevice({ userId: 'u-admin', sessionId: 'x' }, 'u-alice', devices[0].id);
    await agent.get('/payments').expect(401);
    expect(t.audit.ofType('device.rejected').at(-1)!.reason).toMatch(/^revoked/);
  });
});
