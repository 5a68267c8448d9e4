// Invariant: malformed input gets a 4xx with a stable code, never a 500.
import request from 'supertest';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp } from '../support/test-app';

const BAD_VERIFY_BODIES: unknown[] = [
  {},
  { method: 'totp' },
  { code: '123456' },
  { method: 'webauthn', code: '123456' },
  { method: 'totp', code: 123456 },
  { method: 'totp', code: '' },
  { method: 'totp', code: '1'.repeat(65) },
  { method: 'totp', code: ['123456'] },
  { method: 'totp', code: { $ne: '' } },
  { method: 'totp', code: '123456', verified: true },
  [],
  [{ method: 'totp', code: '123456' }],
];

describe.each(MATRIX)('malformed input on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp(backend, adapter)));
  afterAll(() => t.close());

  it('an id no record can have (NUL, 1,000 characters) answers like an unknown one, never 5xx', async () => {
    const agent = await signIn(t, 'bob');
    for (const id of ['%00', 'a%00b', 'x'.repeat(1000)]) {
      const verify = await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: '123456' });
      expect([verify.status, verify.body.code]).toEqual([401, 'INVALID_CODE']);
      const remove = await agent.delete(`/mfa/enrollments/${id}`);
      expect(remove.status).toBeLessThan(500);
      const device = await agent.delete(`/mfa/devices/${id}`);
      expect(device.status).toBeLessThan(500);
    }
  });

  it.each(BAD_VERIFY_BODIES.map((b) => [JSON.stringify(b), b]))(
    'verify body %s → 400 VALIDATION_FAILED',
    async (_label, body) => {
      const agent = await signIn(t, 'bob');
      const res = await agent.post('/mfa/challenges/whatever/verify').send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Array.isArray(res.body.errors)).toBe(true);
    },
  );

  it('non-JSON and broken JSON bodies are 4xx, never 500', async () => {
    const agent = await signIn(t, 'bob');
    for (const [type, payload] of [
      ['application/json', '{"method":'],
      ['text/plain', 'totp 123456'],
      ['application/json', '"x"'],
    ]) {
      const res = await agent.post('/mfa/challenges/x/verify').set('content-type', type).send(payload);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('enrollment endpoints validate too, and an unknown enrollment is 404', async () => {
    const agent = await signIn(t, 'alice');
    await agent.post('/mfa/totp/enrollments').send({ label: 42 }).expect(400);
    await agent
      .post('/mfa/totp/enrollments')
      .send({ label: 'x'.repeat(65) })
      .expect(400);
    await agent.post('/mfa/totp/enrollments/nope/confirm').send({}).expect(400);
    const res = await agent.post('/mfa/totp/enrollments/nope/confirm').send({ code: '123456' }).expect(404);
    expect(res.body.code).toBe('ENROLLMENT_NOT_FOUND');
  });

  it('no client-sent flag or header marks a session verified', async () => {
    await signInEnrolled(t, 'bob');
    const agent = await signIn(t, 'bob');
    await challengeFor(agent);
    const res = await agent
      .get('/profile/security?mfa=1&verified=true')
      .set('x-mfa-verified', 'true')
      .set('x-forwarded-user', 'bob')
      .set('cookie', 'mfa=verified')
      .expect(401);
    expect(res.body.code).toBe('MFA_REQUIRED');
  });

  it('MFA endpoints refuse anonymous callers with UNAUTHENTICATED', async () => {
    const anon = t.http;
    const res = await request(anon).get('/mfa/enrollments').expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
    await request(anon).post('/mfa/totp/enrollments').send({}).expect(401);
  });
});
