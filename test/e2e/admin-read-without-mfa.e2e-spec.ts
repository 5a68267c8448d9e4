// A stolen admin password is not enough: every /mfa/admin/* route, reads included, needs the
// admin's own MFA verified in this session (reads: any factor, at any time; changes: a fresh one).
import TestAgent from 'supertest/lib/agent';
import { CapturingAuditSink } from '../support/capturing-audit.sink';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const READS: Array<
  [
    string,
    (agent: TestAgent) => Promise<{ status: number; body: Record<string, any>; headers: Record<string, string> }>,
  ]
> = [
  ['GET /mfa/admin/users/:id', (a) => a.get('/mfa/admin/users/u-bob')],
  ['GET /mfa/admin/audit', (a) => a.get('/mfa/admin/audit')],
  ['GET /mfa/admin/policy/versions', (a) => a.get('/mfa/admin/policy/versions')],
  ['GET /mfa/admin/policy/versions/:version', (a) => a.get('/mfa/admin/policy/versions/1')],
  [
    'POST /mfa/admin/policy/explain',
    (a) => a.post('/mfa/admin/policy/explain').send({ userId: 'u-bob', target: { service: 'payments' } }),
  ],
  [
    'POST /mfa/admin/policy/what-if',
    (a) => a.post('/mfa/admin/policy/what-if').send({ version: 1, from: '2026-01-01', to: '2026-01-02' }),
  ],
  ['GET /mfa/admin/policy/diff', (a) => a.get('/mfa/admin/policy/diff?from=1&to=1')],
];

describe.each(MATRIX)('admin reads without MFA on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let audit: CapturingAuditSink;
  beforeEach(async () => {
    audit = new CapturingAuditSink();
    t = await startTestApp(backend, adapter, { audit: ['database', audit] });
  });
  afterEach(() => t.close());

  it('a password-only admin session is asked for its own MFA on every read; once verified, reads pass', async () => {
    const { secret } = await signInEnrolled(t, 'alice');
    const stolen = await signIn(t, 'alice'); // the password alone: a new session, nothing verified
    let challengeId = '';
    for (const [route, read] of READS) {
      const refused = await read(stolen);
      expect({ route, status: refused.status, code: refused.body.code }).toEqual({
        route,
        status: 401,
        code: 'MFA_REQUIRED',
      });
      expect(refused.body.challenge.methods).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'totp' })]),
      );
      expect(refused.body.challenge.requirement.steps[0].maxAge).toBeUndefined();
      expect(refused.headers['www-authenticate']).toContain(`challenge="${refused.body.challenge.id}"`);
      challengeId = refused.body.challenge.id;
    }
    await stolen
      .post(`/mfa/challenges/${challengeId}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    for (const [route, read] of READS)
      expect({ route, status: (await read(stolen)).status }).toEqual({ route, status: 200 });
  });

  it('reads need no freshness, changes still do', async () => {
    const { agent: admin, secret } = await signInEnrolled(t, 'alice');
    t.clock.advance(24 * 3600);
    for (const [route, read] of READS)
      expect({ route, status: (await read(admin)).status }).toEqual({ route, status: 200 });
    const stale = await admin.delete('/mfa/admin/users/u-bob/lockout').expect(401);
    expect(stale.body.challenge.requirement.steps[0].maxAge).toBe(300);
    await admin
      .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await admin.delete('/mfa/admin/users/u-bob/lockout').expect(200);
  });

  it('an admin with no factor at all is told to enroll, never let through', async () => {
    const unenrolled = await signIn(t, 'alice');
    for (const [route, read] of READS) {
      const refused = await read(unenrolled);
      expect({ route, status: refused.status, code: refused.body.code }).toEqual({
        route,
        status: 403,
        code: 'MFA_ENROLLMENT_REQUIRED',
      });
      expect(refused.body.enroll).toEqual(
        expect.arrayContaining([{ method: 'totp', verb: 'POST', href: '/mfa/totp/enrollments' }]),
      );
    }
  });

  it('a non-admin is refused as before, verified or not, and no challenge is opened for them', async () => {
    const bob = await signInEnrolled(t, 'bob');
    const bobPasswordOnly = await signIn(t, 'bob');
    const challengesBefore = audit.ofType('challenge.issued').length;
    for (const agent of [bob.agent, bobPasswordOnly]) {
      for (const [route, read] of READS) {
        const refused = await read(agent);
        expect({ route, status: refused.status, code: refused.body.code }).toEqual({
          route,
          status: 403,
          code: 'MFA_ADMIN_FORBIDDEN',
        });
      }
    }
    expect(audit.ofType('challenge.issued')).toHaveLength(challengesBefore);
  });
});
