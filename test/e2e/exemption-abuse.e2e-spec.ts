// Invariant: an exemption is granted only by a freshly verified admin, for at most 90 days and
// with a reason; it lifts mandatory enrollment or one rule for its own user only, stops at once
// when revoked and by the clock alone when it expires (no job runs), and is audited with the
// admin and told to the user. Every answer holds to the OpenAPI document.
import type { MfaNotification, PolicyDocument } from '../../libs/core/src';
import { EXEMPTION_ROUTES } from '../../libs/http/src/routes/exemption.routes';
import { routeKey } from '../../libs/http/src/openapi/response-schemas';
import { BACKENDS } from '../support/backends';
import { ContractCheck } from '../support/openapi-contract';
import { Adapter, signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400;
const LIST = 'GET /admin/users/:userId/exemptions';
const GRANT = 'POST /admin/users/:userId/exemptions';
const REVOKE = 'DELETE /admin/users/:userId/exemptions/:exemptionId';

/** Payments ask for a factor through a document rule (the only kind an exemption lifts); everyone must enroll. */
const POLICY: PolicyDocument = {
  services: { payments: { group: 'money' } },
  rules: [{ id: 'money-needs-a-factor', when: { services: ['payments'] }, require: { any: true } }],
  enrollment: { required: 'everyone', graceDays: 1 },
};

const CASES = BACKENDS.flatMap((b) =>
  (['nest', 'express5'] as Adapter[]).map((a) => [`${b.name} via ${a}`, b, a] as const),
);

describe.each(CASES)('exemption abuse on %s', (name, backend, adapter) => {
  const c = new ContractCheck(name);
  let t: TestApp;
  let notices: MfaNotification[];
  beforeEach(async () => {
    notices = [];
    t = await startTestApp(backend, adapter, {
      policy: POLICY,
      notifier: { notify: async (n) => (notices.push(n), 'sent') },
    });
  });
  afterEach(() => t.close());
  const hit = async (key: string, req: PromiseLike<import('supertest').Response>, status: number) =>
    c.check(key, await req, status);

  it('refuses a grant past 90 days, without a reason or for a rule that is not there, and stores none', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const grant = (body: object) => admin.post('/mfa/admin/users/u-bob/exemptions').send(body);
    const reason = 'travelling without the phone';
    const at = (days: number) => new Date(t.clock.now() + days * DAY * 1000).toISOString();
    await hit(GRANT, grant({ scope: 'enrollment', reason, days: 91 }), 400);
    await hit(GRANT, grant({ scope: 'enrollment', reason, expiresAt: at(90.01) }), 400);
    await hit(GRANT, grant({ scope: 'enrollment', reason, expiresAt: at(-1) }), 400);
    await hit(GRANT, grant({ scope: 'enrollment', reason, days: 5, expiresAt: at(5) }), 400);
    await hit(GRANT, grant({ scope: 'enrollment', days: 5 }), 400);
    await hit(GRANT, grant({ scope: 'enrollment', reason: ' \u202e ', days: 5 }), 400);
    await hit(GRANT, grant({ scope: 'rule', ruleId: 'no-such-rule', reason, days: 5 }), 400);
    await hit(GRANT, grant({ scope: 'rule', reason, days: 5 }), 400);
    await hit(GRANT, grant({ scope: 'everything', reason, days: 5 }), 400);
    expect((await hit(LIST, admin.get('/mfa/admin/users/u-bob/exemptions'), 200)).body).toEqual({ exemptions: [] });
    const ok = await hit(GRANT, grant({ scope: 'enrollment', reason, expiresAt: at(90) }), 201);
    expect(ok.body).toMatchObject({ userId: 'u-bob', scope: 'enrollment', grantedBy: 'u-alice', status: 'active' });
  });

  it('lets no one but a freshly verified admin grant, list or revoke', async () => {
    const { agent: bob } = await signInEnrolled(t, 'bob');
    const body = { scope: 'enrollment', reason: 'I say so', days: 90 };
    await hit(GRANT, bob.post('/mfa/admin/users/u-bob/exemptions').send(body), 403);
    await hit(LIST, bob.get('/mfa/admin/users/u-bob/exemptions'), 403);
    await hit(REVOKE, bob.delete('/mfa/admin/users/u-bob/exemptions/x'), 403);
    const unverified = await signIn(t, 'alice');
    await hit(GRANT, unverified.post('/mfa/admin/users/u-bob/exemptions').send(body), 403); // alice has no factor yet
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const crossSite = admin.post('/mfa/admin/users/u-bob/exemptions').set('Origin', 'https://evil.example');
    await hit(GRANT, crossSite.send(body), 403);
    t.clock.advance(301); // an admin's verification too old for a change
    await hit(GRANT, admin.post('/mfa/admin/users/u-bob/exemptions').send(body), 401);
    expect((await t.engine.exemptions.list('u-bob')).length).toBe(0);
    expect(t.audit.ofType('exemption.granted')).toEqual([]);
  });

  it('lifts mandatory enrollment for its own user only, until it expires by the clock', async () => {
    const bob = await signIn(t, 'bob');
    await bob.get('/wiki').expect(200); // the grace period starts
    t.clock.advance(DAY + 1);
    expect((await bob.get('/wiki').expect(403)).body.reason).toBe('grace_period_ended');

    const { agent: admin } = await signInEnrolled(t, 'alice');
    const grant = (userId: string, days: number) =>
      admin
        .post(`/mfa/admin/users/${userId}/exemptions`)
        .send({ scope: 'enrollment', reason: 'new phone on its way', days });
    await hit(GRANT, grant('u-carol', 30), 201); // another user's exemption
    await bob.get('/wiki').expect(403);
    const granted = (await hit(GRANT, grant('u-bob', 3), 201)).body;
    const passed = await bob.get('/wiki').expect(200);
    expect(passed.headers['mfa-enrollment-exempt-until']).toBe(granted.expiresAt);
    expect(passed.headers['mfa-enrollment-grace']).toBeUndefined();

    const [event] = t.audit.ofType('exemption.granted').filter((e) => e.userId === 'u-bob');
    expect(event).toMatchObject({ actor: 'u-alice', severity: 'warning' });
    expect(event.reason).toContain('mandatory enrollment until');
    expect(event.reason).toContain('new phone on its way');
    await t.engine.notificationsSettled();
    expect(notices.filter((n) => n.userId === 'u-bob').map((n) => n.type)).toEqual(['exemption.granted']);

    // It ends by itself: the clock moves, nothing runs, the gate refuses again.
    t.clock.advance(3 * DAY);
    await bob.get('/wiki').expect(403);
    const list = (await hit(LIST, admin.get('/mfa/admin/users/u-bob/exemptions'), 200)).body;
    expect(list.exemptions.map((e: { status: string }) => e.status)).toEqual(['expired']);
  });

  it('lifts one rule for its own user only, and a revoked one stops at once', async () => {
    await signInEnrolled(t, 'bob');
    const bob = await signIn(t, 'bob'); // a new session: nothing verified in it
    await bob.get('/payments').expect(401);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const body = { scope: 'rule', ruleId: 'money-needs-a-factor', reason: 'authenticator reset pending', days: 7 };
    const granted = (await hit(GRANT, admin.post('/mfa/admin/users/u-bob/exemptions').send(body), 201)).body;
    await bob.get('/payments').expect(200);
    const alice = await signIn(t, 'alice'); // user B: bob's exemption is not hers
    await alice.get('/payments').expect(401);

    const explained = await admin
      .post('/mfa/admin/policy/explain')
      .send({ userId: 'u-bob', target: { service: 'payments' } })
      .expect(200);
    expect(explained.body.outcome).toBe('allow');
    expect(explained.body.layers).toContainEqual(
      expect.objectContaining({
        id: 'money-needs-a-factor',
        effect: 'exempt',
        exemption: { id: granted.id, expiresAt: granted.expiresAt },
      }),
    );

    const revoke = () => admin.delete(`/mfa/admin/users/u-bob/exemptions/${granted.id}`);
    await hit(REVOKE, admin.delete(`/mfa/admin/users/u-alice/exemptions/${granted.id}`), 404); // not hers to revoke
    expect((await hit(REVOKE, revoke(), 200)).body).toMatchObject({ status: 'revoked', revokedBy: 'u-alice' });
    await bob.get('/payments').expect(401);
    await hit(REVOKE, revoke(), 404);

    // A new one ends by the clock alone: no job runs, the next request is asked again.
    const oneDay = { ...body, days: 1 };
    await hit(GRANT, admin.post('/mfa/admin/users/u-bob/exemptions').send(oneDay), 201);
    await bob.get('/payments').expect(200);
    t.clock.advance(DAY);
    await bob.get('/payments').expect(401);
    expect(t.audit.ofType('exemption.revoked')).toEqual([
      expect.objectContaining({ userId: 'u-bob', actor: 'u-alice', ruleId: 'money-needs-a-factor' }),
    ]);
  });

  it('was driven to the success answer of every exemption route, and to refusals', () => {
    const { missing, refusals } = c.coverage(EXEMPTION_ROUTES.map(routeKey));
    expect(missing).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(6); // distinct statuses per route: 400, 401, 403 on grant; 403, 404 on revoke; 403 on list
  });
});
