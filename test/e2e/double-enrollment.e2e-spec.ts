// Invariant: starting an enrollment never voids another. Each pending enrollment stays
// confirmable by its own id until it expires (at most five per user and type, the oldest
// dropped first); each confirmed app or phone is a factor of its own that verifies with its
// own replay guard and outlives the renaming or removal of the others. Only the owner
// renames a factor, and every label is 1–64 plain characters (no control or bidi tricks).
import TestAgent from 'supertest/lib/agent';
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

type Started = { enrollmentId: string; secret: string };

describe.each(MATRIX)('double enrollment on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  beforeEach(async () => (t = await startTestApp(backend, adapter, deliveryOptions(servers.gateway, servers.inbox))));
  afterEach(() => t.close());

  const startTotp = async (agent: TestAgent, body: object = {}): Promise<Started> => {
    const started = (await agent.post('/mfa/totp/enrollments').send(body).expect(201)).body;
    t.clock.advance(1); // creation order is the pruning order
    return started;
  };
  const confirm = (agent: TestAgent, s: Started) =>
    agent.post(`/mfa/totp/enrollments/${s.enrollmentId}/confirm`).send({ code: totpAt(s.secret, t.clock) });
  const verify = async (username: string, code: string, enrollmentId?: string) => {
    const agent = await signIn(t, username);
    const challenge = (await agent.get('/profile/security').expect(401)).body.challenge;
    return {
      challenge,
      res: await agent
        .post(`/mfa/challenges/${challenge.id}/verify`)
        .send({ method: 'totp', code, ...(enrollmentId ? { enrollmentId } : {}) }),
    };
  };

  /** Two apps started back to back (a double click), both confirmed; the clock is then on a fresh step. */
  async function twoApps(username = 'alice'): Promise<{ agent: TestAgent; first: Started; second: Started }> {
    const agent = await signIn(t, username);
    const first = await startTotp(agent);
    const second = await startTotp(agent);
    const one = (await confirm(agent, first).expect(200)).body;
    expect(one.factor).toMatchObject({ id: first.enrollmentId, label: 'Authenticator app', status: 'active' });
    expect(one.backupCodes).toHaveLength(10);
    const two = (await confirm(agent, second).expect(200)).body;
    expect(two.factor).toMatchObject({ id: second.enrollmentId, label: 'Authenticator app 2', status: 'active' });
    expect(two.backupCodes).toBeUndefined(); // the first set stands
    t.clock.advance(30);
    return { agent, first, second };
  }

  it('a second start leaves the first QR code confirmable; both apps are factors, offered and verifying', async () => {
    const { agent, first, second } = await twoApps();
    expect((await agent.get('/mfa/enrollments').expect(200)).body.factors).toEqual([
      expect.objectContaining({ id: first.enrollmentId, type: 'totp' }),
      expect.objectContaining({ id: second.enrollmentId, type: 'totp' }),
    ]);

    const viaSecond = await verify('alice', totpAt(second.secret, t.clock));
    expect(viaSecond.challenge.methods).toContainEqual({
      type: 'totp',
      enrollments: [
        { id: first.enrollmentId, label: 'Authenticator app' },
        { id: second.enrollmentId, label: 'Authenticator app 2' },
      ],
    });
    expect(viaSecond.res.status).toBe(200);
    // Each app keeps its own replay guard: the first app's code of this step is still good, the second's is spent.
    expect((await verify('alice', totpAt(first.secret, t.clock))).res.status).toBe(200);
    expect((await verify('alice', totpAt(second.secret, t.clock))).res.body.code).toBe('INVALID_CODE');
    expect(t.audit.ofType('totp.replay')).toEqual([expect.objectContaining({ enrollmentId: second.enrollmentId })]);

    // Naming the app narrows the check to it.
    t.clock.advance(30);
    expect((await verify('alice', totpAt(first.secret, t.clock), second.enrollmentId)).res.status).toBe(401);
    expect((await verify('alice', totpAt(first.secret, t.clock), first.enrollmentId)).res.status).toBe(200);
  });

  it('keeps at most five pending starts per type (the oldest goes first), and prunes expired ones', async () => {
    const agent = await signIn(t, 'alice');
    const starts: Started[] = [];
    for (let i = 0; i < 6; i++) starts.push(await startTotp(agent));
    const pending = async () => (await t.store.listEnrollments('u-alice')).filter((e) => e.status === 'pending').length;
    expect(await pending()).toBe(5);
    expect((await confirm(agent, starts[0]).expect(404)).body.code).toBe('ENROLLMENT_NOT_FOUND');
    await confirm(agent, starts[1]).expect(200);

    t.clock.advance(601); // past enrollmentTtl: the four left expire
    await confirm(agent, starts[2]).expect(404);
    expect(await pending()).toBe(4); // stored until the next start prunes them
    const fresh = await signIn(t, 'alice');
    const challenge = (await fresh.get('/profile/security').expect(401)).body.challenge;
    await fresh
      .post(`/mfa/challenges/${challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(starts[1].secret, t.clock) })
      .expect(200);
    await startTotp(fresh, { label: 'Laptop' });
    expect(await pending()).toBe(1);
  });

  it('binds several phones and addresses started back to back', async () => {
    const agent = await signIn(t, 'alice');
    const smsA = (
      await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512', label: 'Work phone' }).expect(201)
    ).body;
    const codeA = servers.gateway.lastCode();
    const smsB = (await agent.post('/mfa/sms/enrollments').send({ phone: '+905329876543' }).expect(201)).body;
    const codeB = servers.gateway.lastCode();
    const mailA = (await agent.post('/mfa/email/enrollments').send({ email: 'alice.a@example.com' }).expect(201)).body;
    const mailCodeA = await servers.inbox.lastCode('alice.a@example.com', 1);
    const mailB = (await agent.post('/mfa/email/enrollments').send({ email: 'alice.b@example.com' }).expect(201)).body;
    const mailCodeB = await servers.inbox.lastCode('alice.b@example.com', 1);

    await agent.post(`/mfa/sms/enrollments/${smsA.enrollmentId}/confirm`).send({ code: codeA }).expect(200);
    await agent.post(`/mfa/sms/enrollments/${smsB.enrollmentId}/confirm`).send({ code: codeB }).expect(200);
    await agent.post(`/mfa/email/enrollments/${mailA.enrollmentId}/confirm`).send({ code: mailCodeA }).expect(200);
    await agent.post(`/mfa/email/enrollments/${mailB.enrollmentId}/confirm`).send({ code: mailCodeB }).expect(200);

    const challenge = (await (await signIn(t, 'alice')).get('/profile/security').expect(401)).body.challenge;
    const sms = challenge.methods.find((m: { type: string }) => m.type === 'sms');
    expect(sms.enrollments).toEqual(
      expect.arrayContaining([
        { id: smsA.enrollmentId, label: 'Work phone', maskedTarget: '+90 *** *** **12' },
        { id: smsB.enrollmentId, label: null, maskedTarget: '+90 *** *** **43' },
      ]),
    );
    expect(challenge.methods.find((m: { type: string }) => m.type === 'email').enrollments).toHaveLength(2);
  });

  it("renames only the owner's factor, to a clean label, audited", async () => {
    const alice = await signInEnrolled(t, 'alice');
    const renamed = await alice.agent
      .patch(`/mfa/enrollments/${alice.enrollmentId}`)
      .send({ label: '  Work phone  ' })
      .expect(200);
    expect(renamed.body).toMatchObject({ id: alice.enrollmentId, type: 'totp', label: 'Work phone', status: 'active' });
    expect((await alice.agent.get('/mfa/enrollments').expect(200)).body.factors[0].label).toBe('Work phone');
    expect(t.audit.ofType('factor.renamed')).toEqual([
      expect.objectContaining({ userId: 'u-alice', enrollmentId: alice.enrollmentId, outcome: 'success' }),
    ]);
    expect(JSON.stringify(t.audit.events)).not.toContain('Work phone');

    const bob = await signInEnrolled(t, 'bob');
    const foreign = await bob.agent
      .patch(`/mfa/enrollments/${alice.enrollmentId}`)
      .send({ label: 'Mine now' })
      .expect(404);
    expect(foreign.body.code).toBe('ENROLLMENT_NOT_FOUND');
    await bob.agent.patch('/mfa/enrollments/no-such-id').send({ label: 'x' }).expect(404);
    expect((await alice.agent.get('/mfa/enrollments').expect(200)).body.factors[0].label).toBe('Work phone');
    await alice.agent
      .patch(`/mfa/enrollments/${alice.enrollmentId}`)
      .send({ label: 'x'.repeat(64) })
      .expect(200);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['65 characters', 'x'.repeat(65)],
    ['a control character', 'Work\u0000phone'],
    ['a newline inside', 'Work\nphone'],
    ['a right-to-left override', 'Work\u202Eenohp'],
    ['an isolate', 'Work \u2066phone\u2069'],
    ['not a string', 7],
  ])('refuses a label with %s: 400 VALIDATION_FAILED at rename and at every start', async (_name, label) => {
    const { agent, enrollmentId } = await signInEnrolled(t, 'alice');
    const attempts = [
      agent.patch(`/mfa/enrollments/${enrollmentId}`).send({ label }),
      agent.post('/mfa/totp/enrollments').send({ label }),
      agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512', label }),
      agent.post('/mfa/email/enrollments').send({ email: 'alice.a@example.com', label }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [expect.objectContaining({ field: 'label' })],
      });
    }
    await agent.patch(`/mfa/enrollments/${enrollmentId}`).send({}).expect(400);
    expect((await t.store.listEnrollments('u-alice')).map((e) => e.label)).toEqual(['Authenticator app']);
  });

  it('removing one of two apps leaves the other working', async () => {
    const { agent, first, second } = await twoApps();
    await agent.delete(`/mfa/enrollments/${first.enrollmentId}`).expect(200);
    const refused = await verify('alice', totpAt(first.secret, t.clock));
    expect(refused.challenge.methods).toContainEqual({
      type: 'totp',
      enrollments: [{ id: second.enrollmentId, label: 'Authenticator app 2' }],
    });
    expect(refused.res.body.code).toBe('INVALID_CODE');
    expect((await verify('alice', totpAt(second.secret, t.clock))).res.status).toBe(200);
    // A new unnamed app takes the freed default name.
    const third = await startTotp(agent);
    expect((await confirm(agent, third).expect(200)).body.factor.label).toBe('Authenticator app');
  });
});
