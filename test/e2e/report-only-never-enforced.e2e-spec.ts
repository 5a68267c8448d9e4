// Invariant: a report-only policy version never changes what is enforced. The same requests get
// the same answers whether a version that denies everything, or one that demands nothing, runs
// report-only beside the active one; where it disagrees it is audited (policy.report_only) with
// what it would have done and why; it costs a guarded request no store statement; and only a
// verified admin, freshly verified, starts or stops it — on every backend and both adapters.
import { QueryCounter } from '../support/query-counter';
import type { PolicyDocument } from '../../libs/core/src';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { BACKENDS } from '../support/backends';
import { MATRIX, signIn, signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

const LOCKDOWN: PolicyDocument = {
  ...FIXTURE_POLICY,
  rules: [...(FIXTURE_POLICY.rules ?? []), { id: 'lockdown', when: { services: ['payments', 'mfa'] }, deny: true }],
};
const OPEN: PolicyDocument = { machinePrincipals: 'exempt' };

describe.each(MATRIX)('report-only never enforced on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  /** Versions 2 (lockdown) and 3 (open), stored by alice, whose enrollment just verified her; bob enrolled too. */
  async function admin() {
    const alice = await signInEnrolled(t, 'alice');
    for (const document of [LOCKDOWN, OPEN])
      await alice.agent.post('/mfa/admin/policy/versions').send({ document }).expect(201);
    bobSecret = (await signInEnrolled(t, 'bob')).secret;
    return alice;
  }
  let bobSecret: string;

  /** The same requests each time: a verified session of bob's, a fresh one, and a denied country. */
  async function answers(): Promise<number[]> {
    const verified = await signIn(t, 'bob');
    const challenge = (await verified.get('/payments').expect(401)).body.challenge.id;
    t.clock.advance(30);
    await verified
      .post(`/mfa/challenges/${challenge}/verify`)
      .send({ method: 'totp', code: totpAt(bobSecret, t.clock) })
      .expect(200);
    const fresh = await signIn(t, 'bob');
    const statuses: number[] = [];
    for (const request of [
      () => verified.get('/payments'),
      () => verified.post('/payments/refund'),
      () => fresh.get('/payments'),
      () => fresh.get('/wiki'),
      () => verified.get('/payments').set('cf-ipcountry', 'KP'),
    ])
      statuses.push((await request()).status);
    return statuses;
  }

  it('answers exactly as without it, whether the report-only version denies everything or demands nothing', async () => {
    const { agent } = await admin();
    const enforced = await answers();
    expect(enforced).toEqual([200, 401, 401, 200, 403]);

    const started = await agent.post('/mfa/admin/policy/versions/2/report-only').expect(200);
    expect(started.body).toMatchObject({ version: 2, active: false, reportOnly: true });
    expect(await answers()).toEqual(enforced);
    // The admin's own routes are guarded too, and the lockdown would deny them: they still answer.
    await agent.get('/mfa/admin/policy/versions').expect(200);

    await agent.post('/mfa/admin/policy/versions/3/report-only').expect(200); // replaces version 2
    expect(await answers()).toEqual(enforced);
    const versions = (await agent.get('/mfa/admin/policy/versions').expect(200)).body.versions;
    expect(versions.map((v: { active: boolean; reportOnly: boolean }) => [v.active, v.reportOnly])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
  });

  it('audits each disagreement with both outcomes, the deciding rule and the route, and no agreement', async () => {
    const { agent } = await admin();
    await agent.post('/mfa/admin/policy/versions/2/report-only').expect(200);
    const bob = await signIn(t, 'bob');
    const challenge = (await bob.get('/payments').expect(401)).body.challenge.id;
    t.clock.advance(30);
    await bob
      .post(`/mfa/challenges/${challenge}/verify`)
      .send({ method: 'totp', code: totpAt(bobSecret, t.clock) })
      .expect(200);
    const before = t.audit.ofType('policy.report_only').length;
    await bob.get('/payments').expect(200);
    await bob.get('/wiki').expect(200); // unmapped: both versions allow, nothing to report
    const reports = t.audit.ofType('policy.report_only').slice(before);
    expect(reports).toEqual([
      expect.objectContaining({
        userId: 'u-bob',
        policyVersion: 2,
        ruleId: 'lockdown',
        reason: 'version 2 would deny (rule lockdown); version 1 allowed',
        reportOnly: expect.objectContaining({ version: 2, enforcedVersion: 1, enforced: 'allow', wouldHave: 'deny' }),
        replay: expect.objectContaining({ target: { service: 'payments', route: 'GET /payments' }, groups: ['staff'] }),
      }),
    ]);
    expect(reports[0].outcome).toBeUndefined();

    await agent.post('/mfa/admin/policy/versions/3/report-only').expect(200);
    const fresh = await signIn(t, 'bob');
    await fresh.get('/payments').expect(401);
    expect(t.audit.ofType('policy.report_only').at(-1)).toMatchObject({
      reportOnly: { version: 3, enforced: 'challenge', wouldHave: 'allow' },
    });
    // The challenge itself carries the same replay record, for what-if.
    expect(t.audit.ofType('challenge.issued').at(-1)?.replay).toMatchObject({ target: { route: 'GET /payments' } });

    const stopped = await agent.delete('/mfa/admin/policy/report-only').expect(200);
    expect(stopped.body).toEqual({ stopped: true, version: 3 });
    expect((await agent.delete('/mfa/admin/policy/report-only').expect(200)).body).toEqual({
      stopped: false,
      version: null,
    });
    const count = t.audit.ofType('policy.report_only').length;
    await (await signIn(t, 'bob')).get('/payments').expect(401);
    expect(t.audit.ofType('policy.report_only')).toHaveLength(count);
    expect(t.audit.ofType('policy.report_only_started').map((e) => [e.policyVersion, e.actor])).toEqual([
      [2, 'u-alice'],
      [3, 'u-alice'],
    ]);
    expect(t.audit.ofType('policy.report_only_stopped')).toEqual([
      expect.objectContaining({ policyVersion: 3, actor: 'u-alice', severity: 'warning' }),
    ]);
  });

  it('is started and stopped by a freshly verified admin only, and never for the enforcing version', async () => {
    const { agent, secret } = await admin();
    const staff = await signIn(t, 'bob');
    expect((await staff.post('/mfa/admin/policy/versions/2/report-only').expect(403)).body.code).toBe(
      'MFA_ADMIN_FORBIDDEN',
    );
    const stolen = await signIn(t, 'alice'); // the password alone
    expect((await stolen.delete('/mfa/admin/policy/report-only').expect(401)).body.code).toBe('MFA_REQUIRED');
    const cross = agent.post('/mfa/admin/policy/versions/2/report-only').set('Origin', 'https://evil.example');
    expect((await cross.expect(403)).body.code).toBe('CSRF_REJECTED');
    expect((await agent.post('/mfa/admin/policy/versions/1/report-only').expect(409)).body.code).toBe(
      'POLICY_VERSION_ENFORCED',
    );
    await agent.post('/mfa/admin/policy/versions/99/report-only').expect(404);
    t.clock.advance(301);
    const stale = await agent.post('/mfa/admin/policy/versions/2/report-only').expect(401);
    expect(stale.body.challenge.requirement.steps[0].maxAge).toBe(300);
    await agent
      .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await agent.post('/mfa/admin/policy/versions/2/report-only').expect(200);
    expect(t.audit.ofType('policy.report_only_started')).toHaveLength(1);
  });
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('report-only costs on %s', (_name, backend) => {
  let t: TestApp;
  const counter = new QueryCounter();
  afterEach(() => t.close());

  it.each([
    ['without the session cache', 0, 1],
    ['with the session cache', 60, 0],
  ])(
    'a disagreeing guarded request %s costs no more store statements than without it',
    async (_label, sessionCacheTtl, expected) => {
      t = await startTestApp(
        { ...backend, options: { ...backend.options, logging: ['query'], logger: counter } as never },
        'nest',
        { sessionCacheTtl },
      );
      const { agent } = await signInEnrolled(t, 'alice');
      await agent.post('/mfa/admin/policy/versions').send({ document: LOCKDOWN }).expect(201);
      await agent.post('/mfa/admin/policy/versions/2/report-only').expect(200);
      await agent.get('/payments').expect(200); // warms the policy and, when on, the cache
      counter.count = 0;
      await agent.get('/payments').expect(200);
      expect(counter.count).toBe(expected);
      expect(t.audit.ofType('policy.report_only').at(-1)).toMatchObject({ reportOnly: { wouldHave: 'deny' } });
    },
  );
});
