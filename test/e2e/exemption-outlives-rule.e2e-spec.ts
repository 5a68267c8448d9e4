// Invariant: a rule exemption lifts the rule the admin saw when granting it, and nothing else.
// When a later policy version keeps the id but changes what the rule matches or requires, the
// exemption lifts nothing: the user is asked again, explain says why, and the admin list shows
// it superseded. Rewording the rule's description or moving it keeps it in force, and rolling
// back to the rule as granted brings it back (it never ended by the clock).
import type { PolicyDocument } from '../../libs/core/src';
import { BACKENDS } from '../support/backends';
import { signIn, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

const RULE_ID = 'money-needs-a-factor';
const granted: PolicyDocument = {
  services: { payments: { group: 'money' }, wiki: {} },
  rules: [{ id: RULE_ID, when: { services: ['payments'] }, require: { any: true } }],
};
/** Same rule, reworded and moved behind another: what it matches and needs is unchanged. */
const reworded: PolicyDocument = {
  ...granted,
  rules: [
    { id: 'wiki-is-open', when: { services: ['wiki'] }, require: 'none' },
    { ...granted.rules![0], description: 'Money moves only after a second factor' },
  ],
};
/** The id reused for a wider rule: every service now, not just payments. */
const widened: PolicyDocument = {
  ...granted,
  rules: [{ id: RULE_ID, when: {}, require: { any: true } }],
};

describe.each(BACKENDS.map((b) => [b.name, b] as const))('a rule exemption on %s', (_name, backend) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(backend, 'nest', { policy: granted });
  });
  afterEach(() => t.close());

  it('lifts the rule as granted, survives a reword, and lifts nothing once the rule under its id changes', async () => {
    await signInEnrolled(t, 'bob');
    const bob = await signIn(t, 'bob'); // a new session: nothing verified in it
    await bob.get('/payments').expect(401);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const grant = { scope: 'rule', ruleId: RULE_ID, reason: 'authenticator reset pending', days: 7 };
    const exemption = (await admin.post('/mfa/admin/users/u-bob/exemptions').send(grant).expect(201)).body;
    await bob.get('/payments').expect(200);

    const activate = async (document: PolicyDocument) => {
      const { version } = await t.engine.policy.create(document, 'u-security', 'edit');
      await t.engine.policy.activate(version, 'u-security');
    };
    const status = async () =>
      (await admin.get('/mfa/admin/users/u-bob/exemptions').expect(200)).body.exemptions[0].status;

    await activate(reworded);
    await bob.get('/payments').expect(200);
    expect(await status()).toBe('active');

    await activate(widened);
    await bob.get('/payments').expect(401);
    expect(await status()).toBe('superseded');
    const explained = await admin
      .post('/mfa/admin/policy/explain')
      .send({ userId: 'u-bob', target: { service: 'payments' } })
      .expect(200);
    const layer = explained.body.layers.find((l: { id: string }) => l.id === RULE_ID);
    expect(layer).toMatchObject({ effect: 'require', satisfied: false });
    expect(layer.exemption).toBeUndefined();
    expect(layer.reason).toContain(
      `exemption ${exemption.id} no longer applies: the rule changed since it was granted`,
    );

    // Back to the rule as granted: the exemption has not ended, so it lifts it again.
    await t.engine.policy.rollback('u-security');
    await bob.get('/payments').expect(200);
    expect(await status()).toBe('active');
  });

  it('lifts nothing once another service joins the group the rule names', async () => {
    const byGroup: PolicyDocument = {
      services: { payments: { group: 'money' }, payroll: {} },
      rules: [{ id: RULE_ID, when: { serviceGroups: ['money'] }, require: { any: true } }],
    };
    const { version } = await t.engine.policy.create(byGroup, 'u-security', 'by group');
    await t.engine.policy.activate(version, 'u-security');
    await signInEnrolled(t, 'bob');
    const bob = await signIn(t, 'bob');
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const grant = { scope: 'rule', ruleId: RULE_ID, reason: 'authenticator reset pending', days: 7 };
    await admin.post('/mfa/admin/users/u-bob/exemptions').send(grant).expect(201);
    await bob.get('/payments').expect(200);

    // The rule's text is unchanged, but it now covers payroll too: not what the admin exempted.
    const widened = { ...byGroup, services: { payments: { group: 'money' }, payroll: { group: 'money' } } };
    const next = await t.engine.policy.create(widened, 'u-security', 'payroll joins money');
    await t.engine.policy.activate(next.version, 'u-security');
    await bob.get('/payments').expect(401);
    expect((await t.engine.exemptions.list('u-bob')).map((e) => e.status)).toEqual(['superseded']);
  });

  it('lifts nothing with a row granted before rules had fingerprints, and shows it superseded', async () => {
    await signInEnrolled(t, 'bob');
    const bob = await signIn(t, 'bob');
    const now = t.clock.now();
    // What the first exemptions release stored: the rule's id alone.
    await t.store.createExemption({
      id: '00000000-0000-4000-8000-000000000001',
      userId: 'u-bob',
      scope: 'rule',
      ruleId: RULE_ID,
      ruleFingerprint: null,
      reason: 'granted before fingerprints',
      grantedBy: 'u-alice',
      createdAt: now,
      expiresAt: now + 7 * 86_400_000,
      revokedAt: null,
      revokedBy: null,
    });
    await bob.get('/payments').expect(401);
    expect((await t.engine.exemptions.list('u-bob')).map((e) => e.status)).toEqual(['superseded']);
  });
});
