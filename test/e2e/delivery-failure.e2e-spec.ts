// A provider that fails: the client gets 503 DELIVERY_FAILED, no attempt or cooldown is
// charged, the audit line carries the provider's status, and neither the provider's raw
// answer nor its credentials reach the client or the logs.
import { LocalSmsGateway, deliveryOptions } from '../support/sms-gateway';
import { SmtpInbox } from '../support/smtp-inbox';
import { MATRIX, TestApp, challengeFor, signIn, startTestApp } from '../support/test-app';

describe.each(MATRIX)('delivery failure on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let gateway: LocalSmsGateway;
  let inbox: SmtpInbox;
  let stderr: string[];
  const realWrite = process.stderr.write.bind(process.stderr);

  beforeAll(async () => {
    gateway = await LocalSmsGateway.start();
    inbox = await SmtpInbox.start();
  });
  afterAll(async () => {
    await gateway.close();
    await inbox.close();
  });
  beforeEach(async () => {
    stderr = [];
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  });
  afterEach(async () => {
    process.stderr.write = realWrite;
    gateway.answer = () => ({ status: 201, body: { sid: 'SM1', status: 'queued' } });
    inbox.rejectWith = null;
    await t.close();
  });

  it('answers 503 DELIVERY_FAILED when the SMS provider refuses, and charges nothing', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(gateway, inbox));
    const agent = await signIn(t);
    gateway.answer = () => ({
      status: 401,
      body: {
        code: 20003,
        message: 'Authenticate: AC0123456789 / twilio-auth-token-secret rejected for +905321234512',
      },
    });
    const failed = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(503);
    expect(failed.body.code).toBe('DELIVERY_FAILED');
    const raw = JSON.stringify(failed.body) + JSON.stringify(failed.headers);
    for (const leak of ['twilio-auth-token-secret', 'Authenticate', '905321234512', '20003'])
      expect(raw).not.toContain(leak);

    const audited = t.audit.ofType('code.delivery_failed');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ severity: 'high', reason: 'twilio: HTTP 401 20003' });
    const everything = JSON.stringify(t.audit.events) + stderr.join('');
    expect(everything).not.toContain('twilio-auth-token-secret');
    expect(everything).not.toContain('905321234512');

    // No cooldown and no failure were charged: the retry goes straight through once the provider is back.
    gateway.answer = () => ({ status: 201, body: { sid: 'SM2', status: 'queued' } });
    const retry = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    expect(await t.engine.lockoutStatus('u-alice')).toMatchObject({ sms: { failures: 0 }, account: { failures: 0 } });
    // The code of the failed send was voided, the new one confirms.
    await agent
      .post(`/mfa/sms/enrollments/${retry.body.enrollmentId}/confirm`)
      .send({ code: gateway.lastCode() })
      .expect(200);
  });

  it('answers 503 when the provider is unreachable', async () => {
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(gateway, inbox),
      sms: { ...deliveryOptions(gateway, inbox).sms, baseUrl: 'http://127.0.0.1:9' },
    });
    const agent = await signIn(t);
    const res = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(503);
    expect(res.body.code).toBe('DELIVERY_FAILED');
    expect(t.audit.ofType('code.delivery_failed')[0].reason).toBe('twilio: unreachable');
  });

  it('answers 503 when the SMTP server refuses the message, without echoing its reply', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(gateway, inbox));
    const agent = await signIn(t);
    inbox.rejectWith = 550;
    const res = await agent.post('/mfa/email/enrollments').send({ email: 'alice@example.com' }).expect(503);
    expect(res.body.code).toBe('DELIVERY_FAILED');
    expect(t.audit.ofType('code.delivery_failed')[0].reason).toBe('smtp: SMTP 550');
    expect(JSON.stringify(t.audit.events) + stderr.join('')).not.toContain('alice@example.com');
  });

  it('keeps the challenge usable after a failed send', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(gateway, inbox));
    const binder = await signIn(t);
    const start = await binder.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    await binder
      .post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: gateway.lastCode() })
      .expect(200);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    gateway.answer = () => ({ status: 500, body: {} });
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(503);
    gateway.answer = () => ({ status: 201, body: { sid: 'SM9', status: 'queued' } });
    await agent.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: gateway.lastCode() }).expect(200);
  });
});
