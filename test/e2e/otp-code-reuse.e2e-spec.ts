// Invariant: an SMS or email code works once, for the one user, channel and purpose it
// was sent for — not twice under concurrency, not on another challenge, another user's
// challenge, or a binding it was not sent for.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, challengeFor, signIn, startTestApp } from '../support/test-app';
import TestAgent from 'supertest/lib/agent';

describe.each(MATRIX)('SMS/email code reuse on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  beforeEach(
    async () =>
      (t = await startTestApp(backend, adapter, {
        ...deliveryOptions(servers.gateway, servers.inbox),
        lockout: { maxAttempts: 100 },
      })),
  );
  afterEach(() => t.close());

  async function bindSms(username: string, phone: string): Promise<void> {
    const agent = await signIn(t, username);
    const start = await agent.post('/mfa/sms/enrollments').send({ phone }).expect(201);
    await agent
      .post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(200);
  }

  async function smsChallenge(username = 'alice'): Promise<{ agent: TestAgent; id: string; code: string }> {
    const agent = await signIn(t, username);
    const id = await challengeFor(agent);
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    return { agent, id, code: servers.gateway.lastCode() };
  }

  it('accepts one of 25 concurrent verifications carrying the same code', async () => {
    await bindSms('alice', '+905321234512');
    const { agent, id, code } = await smsChallenge();
    const statuses = await Promise.all(
      Array.from({ length: 25 }, () =>
        agent
          .post(`/mfa/challenges/${id}/verify`)
          .send({ method: 'sms', code })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The rest fail as wrong codes, or MFA_LOCKED once 20 failures start the account-wide waits.
    expect(statuses.filter((s) => s !== 200).every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('lets exactly one of many concurrent conditional writes spend a code', async () => {
    await bindSms('alice', '+905321234512');
    await smsChallenge();
    const rows = await t.store.dataSource.query('SELECT id FROM mfa_otp_codes WHERE consumed_at IS NULL');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.store.consumeOtpCode('u-alice', rows[0].id, t.clock.now())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses the code on another challenge of the same user', async () => {
    await bindSms('alice', '+905321234512');
    const first = await smsChallenge();
    const other = await signIn(t);
    const otherId = await challengeFor(other);
    await other.post(`/mfa/challenges/${otherId}/verify`).send({ method: 'sms', code: first.code }).expect(401);
    await first.agent.post(`/mfa/challenges/${first.id}/verify`).send({ method: 'sms', code: first.code }).expect(200);
  });

  it("refuses one user's code on another user's challenge", async () => {
    await bindSms('alice', '+905321234512');
    await bindSms('bob', '+905321234513');
    const alice = await smsChallenge('alice');
    const bob = await signIn(t, 'bob');
    const bobId = await challengeFor(bob);
    await bob.post(`/mfa/challenges/${bobId}/send`).send({ method: 'sms' }).expect(200);
    await bob.post(`/mfa/challenges/${bobId}/verify`).send({ method: 'sms', code: alice.code }).expect(401);
  });

  it('refuses a binding code at a challenge, and a challenge code at a binding', async () => {
    await bindSms('alice', '+905321234512');
    const { agent, id, code: challengeCode } = await smsChallenge();
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: challengeCode }).expect(200);
    // A second phone: its binding code must not open a challenge, and a challenge code must not confirm it.
    const start = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234599' }).expect(201);
    const bindingCode = servers.gateway.lastCode();
    const fresh = await signIn(t);
    const freshId = await challengeFor(fresh);
    await fresh.post(`/mfa/challenges/${freshId}/verify`).send({ method: 'sms', code: bindingCode }).expect(401);
    await fresh.post(`/mfa/challenges/${freshId}/send`).send({ method: 'sms' }).expect(200);
    await agent
      .post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(401);
    await agent.post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`).send({ code: bindingCode }).expect(200);
  });

  it('refuses an SMS code sent as an email code', async () => {
    await bindSms('alice', '+905321234512');
    const agent = await signIn(t);
    const email = await agent.post('/mfa/email/enrollments').send({ email: 'alice@example.com' });
    expect(email.status).toBe(401); // a second factor needs a step-up first
    const { agent: a, id, code } = await smsChallenge();
    await a.post(`/mfa/challenges/${id}/verify`).send({ method: 'email', code }).expect(401);
  });
});
