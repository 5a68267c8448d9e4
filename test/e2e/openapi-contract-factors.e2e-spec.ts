// Invariant: the generated OpenAPI document holds against the real responses of the SMS, email
// and passkey routes, on both adapters: each answer's status is listed for its route and its body
// matches the schema (see openapi-contract.e2e-spec.ts for the rest).
import type { Test } from 'supertest';
import { BACKENDS } from '../support/backends';
import { useDeliveryServers } from '../support/delivery-servers';
import { ContractCheck } from '../support/openapi-contract';
import { PASSKEY_OPTIONS, PASSKEY_ORIGIN } from '../support/passkeys';
import { deliveryOptions } from '../support/sms-gateway';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { Adapter, challengeFor, signIn, startTestApp, TestApp } from '../support/test-app';

const EMAIL = 'bob.contract@example.com';
const MINE = [
  'POST /challenges/:challengeId/webauthn',
  'POST /challenges/:challengeId/send',
  'POST /webauthn/enrollments',
  'POST /webauthn/enrollments/:enrollmentId/confirm',
  'POST /sms/enrollments',
  'POST /sms/enrollments/:enrollmentId/resend',
  'POST /sms/enrollments/:enrollmentId/confirm',
  'POST /email/enrollments',
  'POST /email/enrollments/:enrollmentId/resend',
  'POST /email/enrollments/:enrollmentId/confirm',
];

describe.each<Adapter>(['nest', 'express5'])('OpenAPI contract: SMS, email and passkeys on %s', (adapter) => {
  const c = new ContractCheck(`sqlite via ${adapter}`);
  const servers = useDeliveryServers();
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(BACKENDS[0], adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      ...PASSKEY_OPTIONS,
    });
  });
  afterEach(() => t.close());
  const hit = async (key: string, req: Test, status: number) => c.check(key, await req, status);
  /** Moves the clock past a code's resend cooldown. */
  const cooldown = (resendAvailableAt: string) =>
    t.clock.advance(Math.ceil((Date.parse(resendAvailableAt) - t.clock.now()) / 1000) + 1);

  it('binds a phone and an address, and sends challenge codes, as documented', async () => {
    const bob = await signIn(t, 'bob');
    const startSms = (phone: string) => bob.post('/mfa/sms/enrollments').send({ phone, label: 'Work phone' });
    await hit('POST /sms/enrollments', startSms('not a phone'), 400);
    const sms = await hit('POST /sms/enrollments', startSms('+905321234512'), 201);
    const smsId = sms.body.enrollmentId;
    const resendSms = (id: string) => bob.post(`/mfa/sms/enrollments/${id}/resend`);
    await hit('POST /sms/enrollments/:enrollmentId/resend', resendSms(smsId), 429);
    await hit('POST /sms/enrollments/:enrollmentId/resend', resendSms('nope'), 404);
    cooldown(sms.body.resendAvailableAt);
    await hit('POST /sms/enrollments/:enrollmentId/resend', resendSms(smsId), 200);
    const confirmSms = (id: string, code: string) => bob.post(`/mfa/sms/enrollments/${id}/confirm`).send({ code });
    await hit('POST /sms/enrollments/:enrollmentId/confirm', confirmSms(smsId, '000'), 401);
    await hit('POST /sms/enrollments/:enrollmentId/confirm', confirmSms('nope', '000000'), 404);
    await hit('POST /sms/enrollments/:enrollmentId/confirm', confirmSms(smsId, servers.gateway.lastCode()), 200);

    // Fresh from the SMS confirmation: a second factor needs no new step-up.
    const startEmail = (email: string) => bob.post('/mfa/email/enrollments').send({ email });
    await hit('POST /email/enrollments', startEmail('no address'), 400);
    const email = await hit('POST /email/enrollments', startEmail(EMAIL), 201);
    const emailId = email.body.enrollmentId;
    cooldown(email.body.resendAvailableAt);
    await hit(
      'POST /email/enrollments/:enrollmentId/resend',
      bob.post(`/mfa/email/enrollments/${emailId}/resend`),
      200,
    );
    const confirmEmail = (code: unknown) => bob.post(`/mfa/email/enrollments/${emailId}/confirm`).send({ code });
    await hit('POST /email/enrollments/:enrollmentId/confirm', confirmEmail(123456), 400);
    await hit(
      'POST /email/enrollments/:enrollmentId/confirm',
      confirmEmail(await servers.inbox.lastCode(EMAIL, 2)),
      200,
    );

    const fresh = await signIn(t, 'bob');
    const id = await challengeFor(fresh);
    const send = (challenge: string, body: object) => fresh.post(`/mfa/challenges/${challenge}/send`).send(body);
    await hit('POST /challenges/:challengeId/send', send(id, { method: 'push' }), 400);
    await hit('POST /challenges/:challengeId/send', send('nope', { method: 'sms' }), 404);
    await hit('POST /challenges/:challengeId/send', send(id, { method: 'sms', enrollmentId: 'nope' }), 404);
    await hit('POST /challenges/:challengeId/send', send(id, { method: 'sms' }), 200);
    await hit('POST /challenges/:challengeId/send', send(id, { method: 'sms' }), 429);
    await hit('POST /challenges/:challengeId/send', send(id, { method: 'email', enrollmentId: emailId }), 200);
  });

  it('registers a passkey and answers a challenge with it, as documented', async () => {
    const bob = await signIn(t, 'bob');
    const authenticator = new SoftAuthenticator();
    const start = await hit(
      'POST /webauthn/enrollments',
      bob.post('/mfa/webauthn/enrollments').send({ label: 7 }),
      400,
    );
    const started = await hit('POST /webauthn/enrollments', bob.post('/mfa/webauthn/enrollments').send({}), 201);
    expect(start.body.code).toBe('VALIDATION_FAILED');
    const { enrollmentId, options } = started.body;
    const confirm = (id: string, response: object) =>
      bob.post(`/mfa/webauthn/enrollments/${id}/confirm`).send({ response });
    await hit('POST /webauthn/enrollments/:enrollmentId/confirm', confirm(enrollmentId, { id: 'forged' }), 401);
    await hit('POST /webauthn/enrollments/:enrollmentId/confirm', confirm('nope', {}), 404);
    const response = authenticator.register(options, PASSKEY_ORIGIN);
    await hit('POST /webauthn/enrollments/:enrollmentId/confirm', confirm(enrollmentId, response), 200);

    const fresh = await signIn(t, 'bob');
    const id = await challengeFor(fresh);
    const passkeyOptions = (challenge: string) => fresh.post(`/mfa/challenges/${challenge}/webauthn`).send({});
    await hit('POST /challenges/:challengeId/webauthn', passkeyOptions('nope'), 404);
    const request = await hit('POST /challenges/:challengeId/webauthn', passkeyOptions(id), 200);
    const assertion = authenticator.assert(request.body.options, PASSKEY_ORIGIN);
    await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'webauthn', response: assertion }).expect(200);
  });

  it('refuses passkeys and codes where they are not configured, as documented', async () => {
    await t.close();
    t = await startTestApp(BACKENDS[0], adapter);
    const bob = await signIn(t, 'bob');
    await hit('POST /webauthn/enrollments', bob.post('/mfa/webauthn/enrollments').send({}), 400);
    await hit('POST /sms/enrollments', bob.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }), 400);
    await hit('POST /email/enrollments', bob.post('/mfa/email/enrollments').send({ email: EMAIL }), 400);
  });

  it('was driven to the success answer of every route it covers, and to refusals', () => {
    const { missing, refusals } = c.coverage(MINE);
    expect(missing).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(10);
  });
});
