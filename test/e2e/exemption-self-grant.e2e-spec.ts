// Invariant: an admin (or whoever holds an admin session) cannot exempt themselves, and no
// exemption names a rule that guards the mfa service — the admin routes' own layer. And an
// exemption is honoured whichever check moved the refusal onto its rule: a trusted device that
// meets the service's step leaves the exempted rule lifted, not asked for.
import type { PolicyDocument } from '../../libs/core/src';
import { BACKENDS } from '../support/backends';
import { rememberThisBrowser, signInAgain } from '../support/devices';
import { Adapter, signInEnrolled, startTestApp, TestApp } from '../support/test-app';

/** Payments accept a trusted device, a rule on them does not; MFA's own routes want a rule of their own. */
const POLICY: PolicyDocument = {
  services: { payments: { require: { any: true, allowTrustedDevice: true } } },
  rules: [
    { id: 'money-needs-a-factor', when: { services: ['payments'] }, require: { any: true } },
    { id: 'admins-second-look', when: { services: ['mfa'] }, require: 'totp' },
  ],
};

const CASES = BACKENDS.flatMap((b) =>
  (['nest', 'express5'] as Adapter[]).map((a) => [`${b.name} via ${a}`, b, a] as const),
);

describe.each(CASES)('exemption self-grant on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(backend, adapter, { policy: POLICY });
  });
  afterEach(() => t.close());
  const body = (ruleId: string) => ({
    scope: 'rule' as const,
    ruleId,
    reason: 'authenticator reset pending',
    days: 90,
  });

  it('refuses an admin exempting themselves, from a rule or from enrollment, and stores none', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    for (const grant of [body('money-needs-a-factor'), { scope: 'enrollment', reason: 'me', days: 90 }]) {
      const refused = await admin.post('/mfa/admin/users/u-alice/exemptions').send(grant).expect(403);
      expect(refused.body.code).toBe('EXEMPTION_SELF');
      expect(refused.body.message).toContain('another administrator');
    }
    expect(await t.engine.exemptions.list('u-alice')).toEqual([]);
    expect(t.audit.ofType('exemption.granted')).toEqual([]);
    // Not even from code: the check is in the core, whatever calls it.
    const admin$ = { userId: 'u-alice', sessionId: 's-alice' };
    await expect(t.engine.exemptions.grant(admin$, 'u-alice', body('money-needs-a-factor'))).rejects.toMatchObject({
      code: 'EXEMPTION_SELF',
    });
  });

  it('refuses an exemption from a rule guarding the mfa service, for anyone', async () => {
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const refused = await admin.post('/mfa/admin/users/u-bob/exemptions').send(body('admins-second-look')).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'ruleId' })]);
    expect(await t.engine.exemptions.list('u-bob')).toEqual([]);
  });

  it('lifts the exempted rule after a trusted device met the service step, and only with the exemption', async () => {
    const { agent: bob, secret } = await signInEnrolled(t, 'bob');
    await signInAgain(bob, 'bob'); // enrolling verified that session: start one that is not
    await rememberThisBrowser(t, bob, secret);
    await signInAgain(bob, 'bob'); // same browser, new session: only the device vouches
    const asked = await bob.get('/payments').expect(401);
    expect(asked.body.challenge).toBeDefined();

    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/users/u-bob/exemptions').send(body('money-needs-a-factor')).expect(201);
    await bob.get('/payments').expect(200);
    const [granted] = await t.engine.exemptions.list('u-bob');
    await t.engine.exemptions.revoke({ userId: 'u-alice', sessionId: 's-alice' }, 'u-bob', granted.id);
    await bob.get('/payments').expect(401);
  });
});
