// SMS pumping and resend abuse: a cooldown between sends (429 RESEND_TOO_SOON with
// Retry-After), caps per user and per destination per hour and day, and a resend that
// replaces the code without ever resetting the failure count.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, challengeFor, signIn, startTestApp } from '../support/test-app';

describe.each(MATRIX)('SMS pumping and resend on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  afterEach(() => t.close());

  async function start(delivery = {}, lockout = {}) {
    t = await startTestApp(backend, adapter, { ...deliveryOptions(servers.gateway, servers.inbox), delivery, lockout });
  }

  async function bindSms(username: string, phone: string): Promise<void> {
    const agent = await signIn(t, username);
    const res = await agent.post('/mfa/sms/enrollments').send({ phone }).expect(201);
    await agent
      .post(`/mfa/sms/enrollments/${res.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(200);
  }

  it('answers 429 RESEND_TOO_SOON with Retry-After inside the cooldown, and sends again after it', async () => {
    await start({ resendCooldownSeconds: 30 });
    await bindSms('alice', '+905321234512');
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    const first = await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    expect(Date.parse(first.body.resendAvailableAt) - t.clock.now()).toBe(30_000);
    const sentBefore = servers.gateway.requests.length;
    t.clock.advance(10);
    const early = await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(429);
    expect(early.body.code).toBe('RESEND_TOO_SOON');
    expect(early.headers['retry-after']).toBe('20');
    expect(servers.gateway.requests.length).toBe(sentBefore);
    t.clock.advance(20);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    expect(t.audit.ofType('code.resent')).toHaveLength(1);
    expect(t.audit.ofType('code.resend_refused')).toHaveLength(1);
  });

  it('replaces the code on resend: the old one dies, the new one works', async () => {
    await start({ resendCooldownSeconds: 30 });
    await bindSms('alice', '+905321234512');
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    const old = servers.gateway.lastCode();
    t.clock.advance(30);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    const fresh = servers.gateway.lastCode();
    if (old !== fresh) await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: old }).expect(401);
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: fresh }).expect(200);
  });

  it('never resets the failure count on resend', async () => {
    await start({ resendCooldownSeconds: 1 }, { maxAttempts: 3 });
    await bindSms('alice', '+905321234512');
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    for (let i = 0; i < 3; i++) {
      t.clock.advance(1);
      await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
      const wrong = servers.gateway.lastCode() === '000000' ? '000001' : '000000';
      await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: wrong }).expect(401);
    }
    t.clock.advance(1);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    const locked = await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'sms', code: servers.gateway.lastCode() })
      .expect(429);
    expect(locked.body.code).toBe('MFA_LOCKED');
  });

  it('caps codes per user per hour across challenges', async () => {
    await start({ resendCooldownSeconds: 0, perUserHour: 3, perDestinationHour: 100, perDestinationDay: 100 });
    await bindSms('alice', '+905321234512'); // 1 send
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200); // 2
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200); // 3
    const sent = servers.gateway.requests.length;
    const capped = await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(429);
    expect(capped.body.code).toBe('DELIVERY_LIMIT_REACHED');
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
    expect(servers.gateway.requests.length).toBe(sent);
    expect(t.audit.ofType('code.send_capped')[0]).toMatchObject({ severity: 'high', reason: 'user per hour' });
    t.clock.advance(3601);
    const later = await challengeFor(agent); // the first challenge expired meanwhile
    await agent.post(`/mfa/challenges/${later}/send`).send({ method: 'sms' }).expect(200);
  });

  it('caps codes per destination, whoever asks (many accounts pumping one number)', async () => {
    await start({ resendCooldownSeconds: 0, perDestinationHour: 2 });
    const alice = await signIn(t, 'alice');
    await alice.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    const bob = await signIn(t, 'bob');
    await bob.post('/mfa/sms/enrollments').send({ phone: '+90 532 123 45 12' }).expect(201);
    const capped = await bob.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(429);
    expect(capped.body.code).toBe('DELIVERY_LIMIT_REACHED');
    expect(t.audit.ofType('code.send_capped')[0].reason).toBe('destination per hour');
  });
});
