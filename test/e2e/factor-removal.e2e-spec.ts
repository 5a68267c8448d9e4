// Self-service changes to factors: the list shows metadata only, removing a factor needs
// a fresh verification, the last factor cannot go while enrollment is mandatory, and the
// user hears of every change through another channel.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { MATRIX, TestApp, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('factor removal on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  afterEach(() => t.close());

  const start = async (policy = FIXTURE_POLICY) =>
    (t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      policy,
      contactEmail: (id) => `${id}@accounts.example`,
    }));

  it('lists metadata only, and removes a factor after a fresh verification', async () => {
    await start();
    const { agent, secret } = await signInEnrolled(t, 'bob');
    const sms = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512', label: 'Phone' }).expect(201);
    await agent
      .post(`/mfa/sms/enrollments/${sms.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(200);
    const list = (await agent.get('/mfa/enrollments').expect(200)).body;
    expect(list.factors).toEqual([
      expect.objectContaining({
        type: 'totp',
        status: 'active',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      }),
      expect.objectContaining({ type: 'sms', label: 'Phone', maskedTarget: '+90 *** *** **12' }),
    ]);
    expect(JSON.stringify(list)).not.toContain(secret);

    t.clock.advance(301);
    const refused = await agent.delete(`/mfa/enrollments/${list.factors[1].id}`).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    await agent
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.delete(`/mfa/enrollments/${list.factors[1].id}`).expect(200);
    await agent.delete(`/mfa/enrollments/${list.factors[1].id}`).expect(404);
    expect((await agent.get('/mfa/enrollments').expect(200)).body.factors).toHaveLength(1);

    await t.engine.notificationsSettled();
    const told = (await servers.inbox.waitFor('u-bob@accounts.example', 3)).map((m) => m.text).join('\n');
    expect(told).toContain('A new sign-in method was added to your account: SMS +90 *** *** **12.');
    expect(told).toContain('A sign-in method was removed from your account: SMS +90 *** *** **12.');
  });

  it('keeps the last factor while enrollment is mandatory for the user, lets it go otherwise', async () => {
    await start({ ...FIXTURE_POLICY, enrollment: { required: { groups: ['admins'] } } });
    const alice = await signInEnrolled(t, 'alice'); // admins: mandatory
    const [only] = (await alice.agent.get('/mfa/enrollments').expect(200)).body.factors;
    const kept = await alice.agent.delete(`/mfa/enrollments/${only.id}`).expect(409);
    expect(kept.body.code).toBe('LAST_FACTOR_REQUIRED');

    const bob = await signInEnrolled(t, 'bob'); // staff: optional
    const [bobs] = (await bob.agent.get('/mfa/enrollments').expect(200)).body.factors;
    await bob.agent.delete(`/mfa/enrollments/${bobs.id}`).expect(200);
    expect((await bob.agent.get('/mfa/enrollments').expect(200)).body).toEqual({
      factors: [],
      backupCodes: { remaining: 0 },
    });
  });
});
