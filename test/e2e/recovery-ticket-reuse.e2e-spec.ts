// Help-desk recovery: an admin (with their own fresh verification, after checking the
// user's identity out of band) issues a ticket; it works once, for that user, until it
// expires. Issuing and redeeming are audited and the user is told.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('recovery tickets on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  beforeEach(
    async () =>
      (t = await startTestApp(backend, adapter, {
        ...deliveryOptions(servers.gateway, servers.inbox),
        contactEmail: (id) => `${id}@accounts.example`,
      })),
  );
  afterEach(() => t.close());

  async function issue(
    body: { reason?: string; ttlHours?: number } = { reason: 'identity checked by video call, ticket #4711' },
  ): Promise<string> {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const res = await admin.post('/mfa/admin/users/u-bob/recovery-tickets').send(body).expect(201);
    expect(Date.parse(res.body.expiresAt) - t.clock.now()).toBe((body.ttlHours ?? 24) * 3_600_000);
    return res.body.ticket;
  }

  it('lets the user redeem it once and enroll anew on their password alone', async () => {
    const bob = await signInEnrolled(t, 'bob');
    const ticket = await issue();
    const lost = await signIn(t, 'bob'); // a new session: the phone is gone, no factor can be verified
    await lost.post('/mfa/recovery/redeem').send({ ticket }).expect(200);
    await lost.post('/mfa/recovery/redeem').send({ ticket }).expect(401);

    const start = await lost.post('/mfa/totp/enrollments').send({}).expect(201);
    await lost
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    // The old session's verification went with the old factor: it is challenged again.
    expect((await bob.agent.get('/profile/security').expect(401)).body.code).toBe('MFA_REQUIRED');

    expect(t.audit.ofType('recovery.ticket_issued')[0]).toMatchObject({
      userId: 'u-bob',
      actor: 'u-alice',
      severity: 'critical',
      reason: expect.stringContaining('#4711'),
    });
    expect(t.audit.ofType('recovery.ticket_redeemed')[0]).toMatchObject({
      userId: 'u-bob',
      reason: 'issued by u-alice',
    });
    await t.engine.notificationsSettled();
    const told = (await servers.inbox.waitFor('u-bob@accounts.example', 2)).map((m) => m.text).join('\n');
    expect(told).toContain('Support issued a recovery ticket');
    expect(told).toContain('A recovery ticket was used on your account');
  });

  it('is spent by exactly one of many concurrent redemptions', async () => {
    await signInEnrolled(t, 'bob');
    const ticket = await issue();
    const sessions = await Promise.all(Array.from({ length: 10 }, () => signIn(t, 'bob')));
    const statuses = await Promise.all(
      sessions.map((s) =>
        s
          .post('/mfa/recovery/redeem')
          .send({ ticket })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(9);
  });

  it('expires, fits no other user, and cannot be forged', async () => {
    await signInEnrolled(t, 'bob');
    const ticket = await issue({ ttlHours: 1 });
    const alice = await signIn(t, 'alice');
    await alice.post('/mfa/recovery/redeem').send({ ticket }).expect(401);
    const bob = await signIn(t, 'bob');
    await bob
      .post('/mfa/recovery/redeem')
      .send({ ticket: `${ticket.split('.')[0]}.${'A'.repeat(22)}` })
      .expect(401);
    t.clock.advance(3601);
    const late = await bob.post('/mfa/recovery/redeem').send({ ticket }).expect(401);
    expect(late.body.code).toBe('RECOVERY_TICKET_INVALID');
    expect(t.audit.ofType('recovery.ticket_refused')).toHaveLength(3);
  });

  it('is issued only by an admin, with a fresh verification of their own', async () => {
    await signInEnrolled(t, 'bob');
    const bob = await signIn(t, 'bob');
    await bob.post('/mfa/admin/users/u-alice/recovery-tickets').send({}).expect(403);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/users/u-bob/recovery-tickets').send({ ttlHours: 100 }).expect(400);
    t.clock.advance(301);
    await admin.post('/mfa/admin/users/u-bob/recovery-tickets').send({}).expect(401);
  });
});
