// The fallback rule (off by default): with `methods.emailFallbackAfter: N`, a challenge
// that also accepts a stronger factor offers email codes only after N failed attempts
// with it on that same challenge — not on a fresh challenge, and not before.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, signIn, startTestApp, totpAt } from '../support/test-app';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import TestAgent from 'supertest/lib/agent';

const EMAIL = 'alice@example.com';

describe.each(MATRIX)('email fallback on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  afterEach(() => t.close());

  /** Alice binds email first (no step-up needed), then TOTP after verifying by email. */
  async function enrollBoth(): Promise<{ secret: string }> {
    const agent = await signIn(t);
    const before = servers.inbox.to(EMAIL).length;
    const email = await agent.post('/mfa/email/enrollments').send({ email: EMAIL }).expect(201);
    await agent
      .post(`/mfa/email/enrollments/${email.body.enrollmentId}/confirm`)
      .send({ code: await servers.inbox.lastCode(EMAIL, before + 1) })
      .expect(200);
    const totp = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
    await agent
      .post(`/mfa/totp/enrollments/${totp.body.enrollmentId}/confirm`)
      .send({ code: totpAt(totp.body.secret, t.clock) })
      .expect(200);
    t.clock.advance(30);
    return { secret: totp.body.secret };
  }

  const methodsOf = async (agent: TestAgent) => (await agent.get('/profile/security').expect(401)).body.challenge;

  it('offers email only after N failed TOTP attempts on the same challenge', async () => {
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      policy: { ...FIXTURE_POLICY, methods: { emailFallbackAfter: 2 } },
    });
    await enrollBoth();
    const agent = await signIn(t);
    const challenge = await methodsOf(agent);
    expect(challenge.methods.map((m: { type: string }) => m.type)).toEqual(['totp', 'backup_code']);
    const refused = await agent.post(`/mfa/challenges/${challenge.id}/send`).send({ method: 'email' }).expect(404);
    expect(refused.body.code).toBe('CHALLENGE_NOT_FOUND');

    for (const wrong of ['000000', '000001'])
      await agent.post(`/mfa/challenges/${challenge.id}/verify`).send({ method: 'totp', code: wrong }).expect(401);
    const again = await methodsOf(agent);
    expect(again.id).toBe(challenge.id);
    expect(again.methods.map((m: { type: string }) => m.type)).toEqual(['totp', 'email', 'backup_code']);
    const sent = servers.inbox.to(EMAIL).length;
    await agent.post(`/mfa/challenges/${challenge.id}/send`).send({ method: 'email' }).expect(200);
    await agent
      .post(`/mfa/challenges/${challenge.id}/verify`)
      .send({ method: 'email', code: await servers.inbox.lastCode(EMAIL, sent + 1) })
      .expect(200);
  });

  it('starts over on a new challenge', async () => {
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      policy: { ...FIXTURE_POLICY, methods: { emailFallbackAfter: 1 } },
    });
    await enrollBoth();
    const first = await signIn(t);
    const c1 = await methodsOf(first);
    await first.post(`/mfa/challenges/${c1.id}/verify`).send({ method: 'totp', code: '000000' }).expect(401);
    const other = await signIn(t);
    const c2 = await methodsOf(other);
    expect(c2.id).not.toBe(c1.id);
    expect(c2.methods.map((m: { type: string }) => m.type)).not.toContain('email');
  });

  it('is off by default: email is offered at once', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(servers.gateway, servers.inbox));
    await enrollBoth();
    const agent = await signIn(t);
    expect((await methodsOf(agent)).methods.map((m: { type: string }) => m.type)).toEqual([
      'totp',
      'email',
      'backup_code',
    ]);
  });
});
