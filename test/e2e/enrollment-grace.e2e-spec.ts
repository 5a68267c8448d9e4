// Mandatory enrollment: a covered user without a factor may go on for the grace period
// (7 days by default, counted from the first request it applied to, moved here with the
// injected clock) and is told how long is left; after it, every guarded route refuses
// with MFA_ENROLLMENT_REQUIRED — except enrolling itself, and signing out.
import request from 'supertest';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { MATRIX, TestApp, signIn, startTestApp, totpAt } from '../support/test-app';

const DAY = 86_400;

describe.each(MATRIX)('mandatory enrollment on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  it('counts the grace period from the first request, tells how long is left, then requires enrollment', async () => {
    t = await startTestApp(backend, adapter, { policy: { ...FIXTURE_POLICY, enrollment: { required: 'everyone' } } });
    const bob = await signIn(t, 'bob');
    const first = await bob.get('/wiki').expect(200);
    expect(first.headers['mfa-enrollment-grace']).toBe(String(7 * DAY));
    t.clock.advance(3 * DAY);
    expect((await bob.get('/wiki').expect(200)).headers['mfa-enrollment-grace']).toBe(String(4 * DAY));

    t.clock.advance(4 * DAY);
    const refused = await bob.get('/wiki').expect(403);
    expect(refused.body).toMatchObject({ code: 'MFA_ENROLLMENT_REQUIRED', reason: 'grace_period_ended' });
    await bob.get('/payments').expect(403);

    // Enrolling is still open; afterwards the user is back in.
    const start = await bob.post('/mfa/totp/enrollments').send({}).expect(201);
    await bob
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    const back = await bob.get('/wiki').expect(200);
    expect(back.headers['mfa-enrollment-grace']).toBeUndefined();
    await bob.post('/auth/logout').expect(200);
  });

  it("applies to the listed groups only, and keeps each user's own start", async () => {
    t = await startTestApp(backend, adapter, {
      policy: { ...FIXTURE_POLICY, enrollment: { required: { groups: ['admins'] }, graceDays: 2 } },
    });
    const bob = await signIn(t, 'bob'); // staff
    expect((await bob.get('/wiki').expect(200)).headers['mfa-enrollment-grace']).toBeUndefined();
    const alice = await signIn(t, 'alice'); // admins
    await alice.get('/wiki').expect(200);
    t.clock.advance(DAY);
    const again = await signIn(t, 'alice'); // a new session does not restart the clock
    expect((await again.get('/wiki').expect(200)).headers['mfa-enrollment-grace']).toBe(String(DAY));
    t.clock.advance(DAY);
    await again.get('/wiki').expect(403);
    await bob.get('/wiki').expect(200);
    await again.post('/auth/logout').expect(200);
  });

  it('a grace of 0 days requires enrollment at once; the anonymous are not concerned', async () => {
    t = await startTestApp(backend, adapter, {
      policy: { ...FIXTURE_POLICY, enrollment: { required: 'everyone', graceDays: 0 } },
    });
    const bob = await signIn(t, 'bob');
    await bob.get('/wiki').expect(403);
    await bob.get('/mfa/enrollments').expect(200);
    await request(t.http).get('/wiki').expect(200);
  });

  it('refuses an invalid enrollment rule in a policy version', async () => {
    t = await startTestApp(backend, adapter, { policy: FIXTURE_POLICY });
    const res = await t.engine
      .createPolicyVersion({ enrollment: { required: { groups: [] }, graceDays: -1 } }, 'test')
      .catch((e) => e);
    expect(res.details.errors.map((e: { path: string }) => e.path)).toEqual([
      '$.enrollment.required',
      '$.enrollment.graceDays',
    ]);
  });
});
