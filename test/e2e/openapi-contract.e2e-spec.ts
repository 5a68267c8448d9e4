// Invariant: the generated OpenAPI document holds against the real responses. Every MFA route is
// driven on both adapters to its success answer and to refusals, and each body must match the
// schema the document gives for that route and status (challenges, TOTP, devices, recovery here;
// SMS, email and passkeys in openapi-contract-factors, admin routes in openapi-contract-admin).
import request, { Test } from 'supertest';
import type { MfaSubject } from '../../libs/core/src';
import { USER_ROUTES } from '../../libs/http/src/routes/user.routes';
import { routeKey } from '../../libs/http/src/openapi/response-schemas';
import { BACKENDS } from '../support/backends';
import { DEVICE_POLICY, rememberThisBrowser, signInAgain } from '../support/devices';
import { ContractCheck } from '../support/openapi-contract';
import { Adapter, signIn, startTestApp, TestApp, totpAt } from '../support/test-app';

const MINE = [
  'POST /challenges/:challengeId/verify',
  'GET /enrollments',
  'POST /totp/enrollments',
  'POST /totp/enrollments/:enrollmentId/confirm',
  'PATCH /enrollments/:enrollmentId',
  'DELETE /enrollments/:enrollmentId',
  'POST /backup-codes/regenerate',
  ...USER_ROUTES.filter((r) => r.audience === 'self-service').map(routeKey),
];

describe.each<Adapter>(['nest', 'express5'])('OpenAPI contract: challenges, TOTP and self-service on %s', (adapter) => {
  const c = new ContractCheck(`sqlite via ${adapter}`);
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(BACKENDS[0], adapter, { policy: DEVICE_POLICY, trustedDeviceCookie: { secure: false } });
  });
  afterEach(() => t.close());
  const hit = async (key: string, req: Test, status: number) => c.check(key, await req, status);

  it('binds TOTP and answers challenges as documented', async () => {
    await hit('GET /enrollments', request(t.http).get('/mfa/enrollments'), 401);
    const bob = await signIn(t, 'bob');
    await hit('GET /enrollments', bob.get('/mfa/enrollments'), 200);
    await hit('POST /totp/enrollments', bob.post('/mfa/totp/enrollments').send({ label: 7, extra: true }), 400);
    const crossSite = bob.post('/mfa/totp/enrollments').set('Origin', 'https://evil.example').send({});
    await hit('POST /totp/enrollments', crossSite, 403);
    const start = await hit('POST /totp/enrollments', bob.post('/mfa/totp/enrollments').send({ label: 'Phone' }), 201);
    const { enrollmentId, secret } = start.body;
    const confirm = (id: string, code: string) => bob.post(`/mfa/totp/enrollments/${id}/confirm`).send({ code });
    await hit('POST /totp/enrollments/:enrollmentId/confirm', confirm('nope', '000000'), 404);
    await hit('POST /totp/enrollments/:enrollmentId/confirm', confirm(enrollmentId, 'abcdef'), 401);
    await hit('POST /totp/enrollments/:enrollmentId/confirm', confirm(enrollmentId, totpAt(secret, t.clock)), 200);
    t.clock.advance(30);

    const fresh = await signIn(t, 'bob');
    const id = c.refusal(await fresh.get('/payments'), 401).body.challenge.id;
    const verify = (body: object) => fresh.post(`/mfa/challenges/${id}/verify`).send(body);
    await hit('POST /challenges/:challengeId/verify', verify({ method: 'push', code: '1' }), 400);
    await hit('POST /challenges/:challengeId/verify', verify({ method: 'totp', code: 'abcdef' }), 401);
    const remembered = verify({ method: 'totp', code: totpAt(secret, t.clock), rememberDevice: true });
    expect((await hit('POST /challenges/:challengeId/verify', remembered, 200)).body.trustedDevice).toBeTruthy();
    await hit('POST /challenges/:challengeId/verify', verify({ method: 'totp', code: totpAt(secret, t.clock) }), 401);

    // A single-use grant cannot remember the browser: the answer says why.
    t.clock.advance(30);
    const grant = c.refusal(await fresh.post('/payments/transfer'), 401).body.challenge.id;
    const single = fresh
      .post(`/mfa/challenges/${grant}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock), rememberDevice: true });
    expect((await hit('POST /challenges/:challengeId/verify', single, 200)).body.deviceNotRemembered).toBe(
      'single_use_grant',
    );
  });

  it("manages the user's own factors, devices and sessions as documented", async () => {
    const bob = await signIn(t, 'bob');
    const start = await bob.post('/mfa/totp/enrollments').send({}).expect(201);
    const { enrollmentId, secret } = start.body;
    await bob
      .post(`/mfa/totp/enrollments/${enrollmentId}/confirm`)
      .send({ code: totpAt(secret, t.clock) })
      .expect(200);
    await signInAgain(bob, 'bob');
    await rememberThisBrowser(t, bob, secret);

    const rename = (target: string, label: string) => bob.patch(`/mfa/enrollments/${target}`).send({ label });
    await hit('PATCH /enrollments/:enrollmentId', rename(enrollmentId, 'Work phone'), 200);
    await hit('PATCH /enrollments/:enrollmentId', rename(enrollmentId, 'a\u202Eb'), 400);
    await hit('PATCH /enrollments/:enrollmentId', rename('nope', 'Work phone'), 404);
    await hit('POST /backup-codes/regenerate', bob.post('/mfa/backup-codes/regenerate'), 200);
    const devices = await hit('GET /devices', bob.get('/mfa/devices'), 200);
    expect(devices.body.devices).toHaveLength(1);
    await hit('DELETE /devices/:deviceId', bob.delete('/mfa/devices/nope'), 404);
    await hit('DELETE /devices/:deviceId', bob.delete(`/mfa/devices/${devices.body.devices[0].id}`), 200);
    await hit('DELETE /devices', bob.delete('/mfa/devices'), 200);
    await hit('DELETE /devices', bob.delete('/mfa/devices').set('cf-ipcountry', 'KP'), 403);
    await hit('POST /sessions/revoke-others', bob.post('/mfa/sessions/revoke-others'), 200);

    t.clock.advance(301);
    const stale = await hit('DELETE /enrollments/:enrollmentId', bob.delete(`/mfa/enrollments/${enrollmentId}`), 401);
    await bob
      .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await hit('DELETE /enrollments/:enrollmentId', bob.delete('/mfa/enrollments/nope'), 404);
    await hit('DELETE /enrollments/:enrollmentId', bob.delete(`/mfa/enrollments/${enrollmentId}`), 200);
  });

  it('tells a user with no factor, on a change that needs a fresh verification, where to enroll', async () => {
    const res = await hit('DELETE /devices', (await signIn(t, 'bob')).delete('/mfa/devices'), 403);
    expect(res.body).toMatchObject({
      code: 'MFA_ENROLLMENT_REQUIRED',
      reason: 'no_factor',
      enroll: expect.arrayContaining([{ method: 'totp', verb: 'POST', href: '/mfa/totp/enrollments' }]),
    });
  });

  it('refuses broken bodies, locks and fails closed as documented', async () => {
    const { enrollmentId, secret } = (await (await signIn(t, 'bob')).post('/mfa/totp/enrollments').send({})).body;
    const bob = await signIn(t, 'bob');
    const raw = (body: string) => bob.post('/mfa/totp/enrollments').set('Content-Type', 'application/json').send(body);
    await hit('POST /totp/enrollments', raw('{"label":'), 400);
    await hit('POST /totp/enrollments', raw(JSON.stringify({ label: 'x'.repeat(200_000) })), 413);
    const confirm = (code: string) => bob.post(`/mfa/totp/enrollments/${enrollmentId}/confirm`).send({ code });
    for (let i = 0; i < 5; i++) await confirm('abcdef');
    const locked = await hit('POST /totp/enrollments/:enrollmentId/confirm', confirm(totpAt(secret, t.clock)), 429);
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    await t.store.dataSource.destroy();
    await hit('GET /enrollments', bob.get('/mfa/enrollments'), 503);
  });

  it('refuses a body the document does not describe (the check itself)', async () => {
    const res = await hit('GET /devices', (await signIn(t, 'bob')).get('/mfa/devices'), 200);
    const drifted = { ...res, body: { devices: [], secret: 'leak' } } as typeof res;
    expect(() => c.check('GET /devices', drifted, 200)).toThrow(
      /GET \/devices answered 200.*\n.*additional properties/,
    );
    const teapot = { ...res, status: 418, body: res.body } as typeof res;
    expect(() => c.check('GET /devices', teapot, 418)).toThrow(/a status the document does not list/);
  });

  it('redeems a recovery ticket as documented', async () => {
    const bob = await signIn(t, 'bob');
    await hit('POST /recovery/redeem', bob.post('/mfa/recovery/redeem').send({ ticket: 'forged.ticket' }), 401);
    await hit('POST /recovery/redeem', bob.post('/mfa/recovery/redeem').send({}), 400);
    const admin: MfaSubject = { userId: 'u-alice', sessionId: 'help-desk' };
    const { ticket } = await t.engine.adminIssueRecoveryTicket(admin, 'u-bob', 'identity verified by video call');
    await hit('POST /recovery/redeem', bob.post('/mfa/recovery/redeem').send({ ticket }), 200);
  });

  it('was driven to the success answer of every route it covers, and to refusals', () => {
    expect(c.coverage(MINE)).toEqual({ missing: [], refusals: expect.any(Number) });
    expect(c.coverage(MINE).refusals).toBeGreaterThanOrEqual(10);
  });

  it('leaves no route of the challenge, enrollment or self-service audiences to the other files', () => {
    const elsewhere = USER_ROUTES.map(routeKey).filter((key) => !MINE.includes(key));
    expect(elsewhere.every((key) => /webauthn|sms|email|\/send$/.test(key))).toBe(true);
  });
});
