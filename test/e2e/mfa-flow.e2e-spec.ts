import { BACKENDS } from '../support/backends';
import { Adapter, challengeFor, signIn, signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

// The whole user journey, on every backend, through forRoot and forRootAsync
// (nest-async also runs with the process-local session cache on), and through the Express adapter on Express 5 and 4.
const VARIANTS: Adapter[] = ['nest', 'nest-async', 'express5', 'express4'];

describe.each(BACKENDS.flatMap((b) => VARIANTS.map((adapter) => [b.name, adapter, b] as const)))(
  'MFA flow on %s via %s',
  (_name, adapter, backend) => {
    let t: TestApp;
    beforeEach(
      async () => (t = await startTestApp(backend, adapter, adapter === 'nest-async' ? { sessionCacheTtl: 60 } : {})),
    );
    afterEach(() => t.close());

    it('enroll → confirm → 401 challenge → verify → 200 → step-up after maxAge', async () => {
      const agent = await signIn(t);
      await agent
        .get('/profile/security')
        .expect(403)
        .expect((r) => expect(r.body.code).toBe('MFA_ENROLLMENT_REQUIRED'));

      const start = await agent.post('/mfa/totp/enrollments').send({ label: 'Phone' }).expect(201);
      expect(start.body.secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
      expect(start.body.otpauthUri).toMatch(
        /^otpauth:\/\/totp\/nestjs-mfa%20tests:alice%40example\.com\?.*issuer=nestjs-mfa%20tests/,
      );
      expect(start.body.qrSvg).toMatch(/^<svg[^>]*>/);
      expect(start.headers['cache-control']).toBe('no-store');

      await agent.post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`).send({ code: '000000' }).expect(401);
      const confirm = await agent
        .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
        .send({ code: totpAt(start.body.secret, t.clock) })
        .expect(200);
      expect(confirm.body.backupCodes).toHaveLength(10);
      expect(confirm.body.backupCodes[0]).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
      expect(confirm.body.factor).toMatchObject({ type: 'totp', label: 'Phone', status: 'active' });

      // A new login is a new session: the MFA state does not carry over.
      t.clock.advance(30);
      const again = await signIn(t);
      const guarded = await again.get('/admin').expect(401);
      expect(guarded.body).toMatchObject({
        code: 'MFA_REQUIRED',
        challenge: { requirement: { steps: [{ factors: ['totp'], maxAge: 300 }] }, ruleId: 'route', policyVersion: 1 },
      });
      expect(guarded.body.challenge.methods).toEqual([
        { type: 'totp', enrollments: [{ id: start.body.enrollmentId, label: 'Phone' }] },
      ]);
      expect(guarded.headers['www-authenticate']).toBe(
        `MFA realm="mfa", error="insufficient_user_authentication", challenge="${guarded.body.challenge.id}", max_age=300`,
      );

      const verified = await again
        .post(`/mfa/challenges/${guarded.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) })
        .expect(200);
      expect(verified.body).toMatchObject({ verified: true, method: 'totp' });
      await again.get('/admin').expect(200);
      await again.get('/profile/security').expect(200);

      t.clock.advance(301);
      const stale = await again.get('/admin').expect(401);
      expect(stale.body.code).toBe('MFA_REQUIRED');
      await again.get('/profile/security').expect(200); // no maxAge there: the session stays verified

      await again
        .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) })
        .expect(200);
      await again.get('/admin').expect(200);
    });

    it('a backup code satisfies @RequireMfa but not a TOTP-only step-up', async () => {
      const { backupCodes } = await signInEnrolled(t, 'bob');
      const agent = await signIn(t, 'bob');
      const challengeId = await challengeFor(agent);
      const res = await agent
        .post(`/mfa/challenges/${challengeId}/verify`)
        .send({ method: 'backup_code', code: backupCodes[0].toUpperCase().replace(/-/g, ' ') })
        .expect(200);
      expect(res.body.method).toBe('backup_code');
      await agent.get('/profile/security').expect(200);
      const admin = await agent.get('/admin').expect(401);
      expect(admin.body.challenge.methods.map((m: { type: string }) => m.type)).toEqual(['totp']);
      const list = await agent.get('/mfa/enrollments').expect(200);
      expect(list.body.backupCodes.remaining).toBe(9);
      expect(JSON.stringify(list.body)).not.toMatch(/secret|sealed/i);
    });

    it('@SkipMfa opts a handler out of a class requirement; routes without metadata stay open', async () => {
      await signInEnrolled(t, 'bob');
      const agent = await signIn(t, 'bob');
      await agent.get('/profile').expect(200);
      await agent.get('/wiki').expect(200);
      await agent.get('/profile/security').expect(401);
    });

    it('regenerating backup codes needs a fresh step-up and voids the earlier set', async () => {
      const { agent, secret, backupCodes } = await signInEnrolled(t, 'alice');
      // The enrolling session verified just now, so it may regenerate at once.
      const first = await agent.post('/mfa/backup-codes/regenerate').expect(200);
      expect(first.body.backupCodes).toHaveLength(10);
      t.clock.advance(301);
      const stale = await agent.post('/mfa/backup-codes/regenerate').expect(401);
      expect(stale.body.code).toBe('MFA_REQUIRED');
      await agent
        .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(secret, t.clock) })
        .expect(200);
      const second = await agent.post('/mfa/backup-codes/regenerate').expect(200);

      const fresh = await signIn(t, 'alice');
      const challengeId = await challengeFor(fresh);
      for (const old of [backupCodes[1], first.body.backupCodes[0]]) {
        await fresh
          .post(`/mfa/challenges/${challengeId}/verify`)
          .send({ method: 'backup_code', code: old })
          .expect(401);
      }
      await fresh
        .post(`/mfa/challenges/${challengeId}/verify`)
        .send({ method: 'backup_code', code: second.body.backupCodes[0] })
        .expect(200);
    });

    it('a user with a factor cannot enroll another on password alone', async () => {
      await signInEnrolled(t, 'bob');
      const passwordOnly = await signIn(t, 'bob');
      const res = await passwordOnly.post('/mfa/totp/enrollments').send({}).expect(401);
      expect(res.body.code).toBe('MFA_REQUIRED');
      expect(res.body).not.toHaveProperty('secret');
    });
  },
);
