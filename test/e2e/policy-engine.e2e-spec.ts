// The policy engine end to end on the sample app: services and operations, chains with
// single-use grants, continuous evaluation, versioning with audit, explain — on every
// backend and through both adapters.
import request from 'supertest';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('policy engine on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  async function verifyWith(
    agent: request.Agent,
    challengeId: string,
    secret: string,
    headers: Record<string, string> = {},
  ) {
    t.clock.advance(30); // a fresh TOTP step: every code is single use
    await agent
      .post(`/mfa/challenges/${challengeId}/verify`)
      .set(headers)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
  }

  describe('routes', () => {
    beforeEach(
      async () =>
        (t = await startTestApp(backend, adapter, { deviceTrust: async () => ({ trusted: true, score: 1 }) })),
    );

    it('/wiki needs nothing; /admin demands TOTP on every session, and a trusted device is no shortcut', async () => {
      await request(t.http).get('/wiki').expect(200);
      const { secret, backupCodes } = await signInEnrolled(t);
      const session = await signIn(t);
      await session.get('/wiki').expect(200);
      const admin = await session.get('/admin').expect(401);
      expect(admin.body.challenge.methods.map((m: { type: string }) => m.type)).toEqual(['totp']);
      await session
        .post(`/mfa/challenges/${admin.body.challenge.id}/verify`)
        .send({ method: 'backup_code', code: backupCodes[0] })
        .expect(401);
      await verifyWith(session, admin.body.challenge.id, secret);
      await session.get('/admin').expect(200);
      const next = await signIn(t);
      await next.get('/admin').expect(401);
    });

    it('/payments/transfer: TOTP in the session, then a fresh code for each transfer that authorises nothing else', async () => {
      const { secret } = await signInEnrolled(t);
      const session = await signIn(t);

      const first = await session.post('/payments/transfer').expect(401);
      // The app's device-trust hook waives the balance's own step (it allows a trusted device); the transfer's chain does not.
      expect(first.body.challenge).toMatchObject({ ruleId: 'operation:payments/transfer', policyVersion: 1 });
      await verifyWith(session, first.body.challenge.id, secret);
      await session.get('/payments').expect(200);

      const second = await session.post('/payments/transfer').expect(401);
      expect(second.body.challenge).toMatchObject({
        ruleId: 'operation:payments/transfer',
        requirement: { steps: [{ factors: ['backup_code', 'totp'], maxAge: 0 }] },
      });
      expect(second.headers['www-authenticate']).toContain('max_age=0');
      await verifyWith(session, second.body.challenge.id, secret);

      await session.post('/payments/refund').expect(401); // the grant is for transfer only
      await session.post('/payments/transfer').expect(200);
      const again = await session.post('/payments/transfer').expect(401); // spent by the first transfer
      expect(again.body.challenge.ruleId).toBe('operation:payments/transfer');
      expect(t.audit.ofType('grant.spent')).toHaveLength(1);
    });

    it('one grant authorises exactly one of many concurrent transfers', async () => {
      const { secret, agent } = await signInEnrolled(t);
      const challenge = await agent.post('/payments/transfer').expect(401);
      await verifyWith(agent, challenge.body.challenge.id, secret);
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () => agent.post('/payments/transfer').then((r) => r.status)),
      );
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 401)).toHaveLength(9);
    });

    it('a change of country mid-session forces a fresh challenge, without a logout', async () => {
      const { secret } = await signInEnrolled(t);
      const session = await signIn(t);
      const tr = { 'cf-ipcountry': 'TR' };
      const de = { 'cf-ipcountry': 'DE' };
      const id = await session
        .get('/profile/security')
        .set(tr)
        .expect(401)
        .then((r) => r.body.challenge.id);
      await verifyWith(session, id, secret, tr);
      await session.get('/profile/security').set(tr).expect(200);

      const moved = await session.get('/profile/security').set(de).expect(401);
      expect(moved.body.code).toBe('MFA_REQUIRED');
      expect(t.audit.ofType('session.drift')).toHaveLength(1);
      await verifyWith(session, moved.body.challenge.id, secret, de);
      await session.get('/profile/security').set(de).expect(200);
      await session.get('/wiki').set(de).expect(200);
    });

    it('a deny rule refuses with MFA_DENIED, naming the rule and version', async () => {
      const { agent } = await signInEnrolled(t);
      const res = await agent.get('/payments').set('cf-ipcountry', 'KP').expect(403);
      expect(res.body).toMatchObject({ code: 'MFA_DENIED', ruleId: 'embargoed-countries', policyVersion: 1 });
    });
  });

  describe('machine principals', () => {
    beforeEach(
      async () =>
        (t = await startTestApp(backend, adapter, {
          isMachinePrincipal: async (_req, subject) => subject.userId === 'u-bob',
        })),
    );

    it('are exempted by the policy, people are not', async () => {
      const bot = await signIn(t, 'bob');
      await bot.get('/profile/security').expect(200); // not /admin: bob is no admin (the sample's own role check)
      await bot.post('/payments/transfer').expect(200);
      const person = await signIn(t, 'alice');
      await person.get('/admin').expect(403); // not enrolled: MFA_ENROLLMENT_REQUIRED
    });
  });

  describe('versions', () => {
    beforeEach(async () => (t = await startTestApp(backend, adapter)));

    it('stores, activates and rolls back versions; decisions and audit carry the version', async () => {
      const { agent: admin, secret } = await signInEnrolled(t, 'alice'); // alice is in "admins"; enrolling just verified her
      const listed = await admin.get('/mfa/admin/policy/versions').expect(200);
      expect(listed.body.versions).toEqual([
        expect.objectContaining({
          version: 1,
          author: 'boot',
          active: true,
          contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      ]);

      const bob = await signIn(t, 'bob');
      const forbidden = await bob.post('/mfa/admin/policy/versions').send({ document: {} }).expect(403);
      expect(forbidden.body.code).toBe('MFA_ADMIN_FORBIDDEN');

      const bad = await admin
        .post('/mfa/admin/policy/versions')
        .send({ document: { rules: [{ id: 'x', require: { chain: ['totp', { factor: 'fido' }] } }] } })
        .expect(400);
      expect(bad.body).toMatchObject({
        code: 'POLICY_INVALID',
        errors: [{ path: '$.rules[0].require.chain[1].factor', message: expect.stringContaining('unknown factor') }],
      });
      expect((await admin.get('/mfa/admin/policy/versions').expect(200)).body.versions).toEqual([
        expect.objectContaining({ version: 1, active: true }),
      ]);

      const strict = { services: { payments: { require: { factor: 'totp', maxAge: 60 } } } };
      const created = await admin
        .post('/mfa/admin/policy/versions')
        .send({ document: strict, comment: 'tighten payments' })
        .expect(201);
      expect(created.body).toMatchObject({ version: 2, author: 'u-alice', active: false, comment: 'tighten payments' });
      const shown = await admin.get('/mfa/admin/policy/versions/2').expect(200);
      expect(shown.body.document).toEqual(strict);

      await admin.post('/mfa/admin/policy/versions/2/activate').expect(200);
      expect(t.audit.ofType('policy.activated')).toContainEqual(
        expect.objectContaining({ severity: 'critical', policyVersion: 2, actor: 'u-alice' }),
      );
      const session = await signIn(t, 'alice');
      const v2 = await session.get('/payments').expect(401);
      expect(v2.body.challenge).toMatchObject({
        policyVersion: 2,
        ruleId: 'service:payments',
        requirement: { steps: [{ factors: ['totp'], maxAge: 60 }] },
      });
      expect(t.audit.ofType('challenge.issued').at(-1)).toMatchObject({ policyVersion: 2, ruleId: 'service:payments' });

      t.clock.advance(301);
      const reauth = await admin.post('/mfa/admin/policy/rollback').expect(401); // an admin change needs the admin's fresh verification…
      await verifyWith(admin, reauth.body.challenge.id, secret);
      const rolled = await admin.post('/mfa/admin/policy/rollback').expect(200); // …then it goes through
      expect(rolled.body).toMatchObject({ version: 1, active: true });
      expect(t.audit.ofType('policy.rolled_back')).toContainEqual(
        expect.objectContaining({ severity: 'critical', policyVersion: 1 }),
      );
      const v1 = await signIn(t, 'alice').then((a) => a.get('/payments').expect(401));
      // "any" is spelled out as the factors the policy enables (the sample enables all), and flagged.
      expect(v1.body.challenge).toMatchObject({
        policyVersion: 1,
        requirement: {
          steps: [{ factors: ['backup_code', 'email', 'sms', 'totp'], any: true, allowTrustedDevice: true }],
        },
      });
      await admin.post('/mfa/admin/policy/versions/99/activate').expect(404);
    });

    it('explain says what a user would face and why, without side effects', async () => {
      const { agent: admin } = await signInEnrolled(t, 'alice');
      const before = {
        audit: t.audit.events.length,
        challenges: (await t.store.dataSource.query('SELECT COUNT(*) AS n FROM mfa_challenges'))[0].n,
      };
      const denied = await admin
        .post('/mfa/admin/policy/explain')
        .send({ userId: 'u-bob', target: { service: 'payments' }, context: { country: 'KP' } })
        .expect(200);
      expect(denied.body).toMatchObject({ outcome: 'deny', ruleId: 'embargoed-countries', policyVersion: 1 });
      expect(denied.body.layers.map((l: { id: string; effect: string }) => [l.id, l.effect])).toEqual([
        ['service:payments', 'require'],
        ['embargoed-countries', 'deny'],
      ]);
      const risky = await admin
        .post('/mfa/admin/policy/explain')
        .send({
          userId: 'u-bob',
          target: { service: 'payments', operation: 'transfer' },
          context: { country: 'TR', risk: 0.9 },
        })
        .expect(200);
      expect(risky.body).toMatchObject({ outcome: 'challenge', ruleId: 'service:payments', policyVersion: 1 });
      expect(risky.body.reasons.join(' ')).toContain('not verified in this session');
      // The whole requirement, not only the first layer still missing: every layer, every step of the chain.
      const ANY = ['backup_code', 'email', 'sms', 'totp'];
      expect(risky.body.layers).toEqual([
        {
          id: 'service:payments',
          source: { kind: 'service', service: 'payments' },
          effect: 'require',
          steps: [{ factors: ANY, any: true, allowTrustedDevice: true }],
          satisfied: false,
          reason: expect.any(String),
        },
        {
          id: 'operation:payments/transfer',
          source: { kind: 'operation', service: 'payments', operation: 'transfer' },
          effect: 'require',
          steps: [{ factors: ['totp'] }, { factors: ['backup_code', 'totp'], maxAge: 0 }],
          satisfied: false,
          reason: expect.stringContaining('step 1 of 2'),
        },
        {
          id: 'risky-session',
          source: { kind: 'rule', ruleId: 'risky-session', description: 'A risky session re-verifies every minute' },
          effect: 'require',
          steps: [{ factors: ANY, any: true, maxAge: 60 }],
          satisfied: false,
          reason: expect.any(String),
        },
      ]);
      const trusted = await admin
        .post('/mfa/admin/policy/explain')
        .send({
          userId: 'u-bob',
          target: { service: 'payments', requirement: { factors: ['totp'], maxAge: 300 } },
          context: { deviceTrusted: true },
        })
        .expect(200);
      expect(trusted.body).toMatchObject({
        outcome: 'challenge',
        ruleId: 'route',
        remaining: [{ factors: ['totp'], maxAge: 300 }],
      });
      expect(trusted.body.layers.map((l: { id: string; satisfied: boolean }) => [l.id, l.satisfied])).toEqual([
        ['route', false],
        ['service:payments', true],
      ]);
      await admin
        .post('/mfa/admin/policy/explain')
        .send({ userId: 'u-bob', target: { requirement: { factors: ['fido'] } } })
        .expect(400);
      await admin.post('/mfa/admin/policy/explain').send({ target: {} }).expect(400);
      expect(t.audit.events.length).toBe(before.audit);
      expect((await t.store.dataSource.query('SELECT COUNT(*) AS n FROM mfa_challenges'))[0].n).toBe(before.challenges);
    });
  });
});
