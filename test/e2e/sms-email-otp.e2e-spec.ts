// SMS and email codes end to end, through a real local HTTP server playing Twilio and a
// real SMTP server: binding proves possession, challenges offer the bound targets masked,
// codes expire, and a confirmed binding notifies the user's other address.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, challengeFor, signIn, startTestApp } from '../support/test-app';
import TestAgent from 'supertest/lib/agent';

const PHONE = '+905321234512';
const EMAIL = 'yusuf.alpha@example.com';

describe.each(MATRIX)('SMS and email codes on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  beforeEach(async () => (t = await startTestApp(backend, adapter, deliveryOptions(servers.gateway, servers.inbox))));
  afterEach(() => t.close());

  async function bindSms(agent: TestAgent): Promise<{ enrollmentId: string; backupCodes?: string[] }> {
    const start = await agent
      .post('/mfa/sms/enrollments')
      .send({ phone: '+90 532 123 45 12', label: 'Work phone' })
      .expect(201);
    expect(start.body).toMatchObject({ method: 'sms', sentTo: '+90 *** *** **12', enrollmentId: expect.any(String) });
    const confirm = await agent
      .post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(200);
    expect(confirm.body.factor).toMatchObject({
      type: 'sms',
      status: 'active',
      label: 'Work phone',
      maskedTarget: '+90 *** *** **12',
    });
    return { enrollmentId: start.body.enrollmentId, backupCodes: confirm.body.backupCodes };
  }

  it('binds a phone by a code sent to it, then verifies a challenge by SMS', async () => {
    const agent = await signIn(t);
    const { backupCodes } = await bindSms(agent);
    expect(backupCodes).toHaveLength(10);
    expect(servers.gateway.requests.at(-1)!.body).toMatchObject({ To: PHONE, From: '+15005550006' });

    const fresh = await signIn(t);
    const denied = await fresh.get('/profile/security').expect(401);
    expect(denied.body.challenge.methods).toContainEqual({
      type: 'sms',
      enrollments: [expect.objectContaining({ label: 'Work phone', maskedTarget: '+90 *** *** **12' })],
    });
    const id = denied.body.challenge.id;
    const sent = await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    expect(sent.body).toMatchObject({ method: 'sms', sentTo: '+90 *** *** **12' });
    expect(Date.parse(sent.body.expiresAt) - t.clock.now()).toBe(300_000);
    await fresh
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'sms', code: servers.gateway.lastCode() })
      .expect(200);
    await fresh.get('/profile/security').expect(200);
    expect(t.audit.ofType('code.sent').length).toBe(2);
  });

  it('binds an email address over SMTP and verifies by email; the code is accepted with or without its dash', async () => {
    await t.close();
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      otp: { groupSize: 3 },
    });
    const agent = await signIn(t);
    const start = await agent.post('/mfa/email/enrollments').send({ email: ' Yusuf.Alpha@EXAMPLE.com ' }).expect(201);
    expect(start.body.sentTo).toBe('Y***@example.com');
    const code = await servers.inbox.lastCode(EMAIL.replace('yusuf.alpha', 'Yusuf.Alpha'), 1);
    expect(code).toMatch(/^\d{3}-\d{3}$/);
    const mail = servers.inbox.to('Yusuf.Alpha@example.com')[0];
    expect(mail.subject).toBe('Your nestjs-mfa tests verification code');
    expect(mail.html).toContain(code);
    await agent
      .post(`/mfa/email/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: code.replace('-', '') })
      .expect(200);

    const fresh = await signIn(t);
    const id = await challengeFor(fresh);
    await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'email' }).expect(200);
    const second = await servers.inbox.lastCode('Yusuf.Alpha@example.com', 2);
    await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'email', code: second }).expect(200);
  });

  it('lets a code expire after its validity window', async () => {
    const agent = await signIn(t);
    await bindSms(agent);
    const fresh = await signIn(t);
    const id = await challengeFor(fresh);
    await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    const code = servers.gateway.lastCode();
    t.clock.advance(301);
    const late = await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code }).expect(401);
    expect(late.body.code).toBe('INVALID_CODE');
  });

  it('needs a fresh step-up to bind a second target, and tells the bound address about it', async () => {
    const agent = await signIn(t);
    const email = await agent.post('/mfa/email/enrollments').send({ email: EMAIL }).expect(201);
    await agent
      .post(`/mfa/email/enrollments/${email.body.enrollmentId}/confirm`)
      .send({ code: await servers.inbox.lastCode(EMAIL, 1) })
      .expect(200);

    const later = await signIn(t);
    const refused = await later.post('/mfa/sms/enrollments').send({ phone: PHONE }).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    await later.post(`/mfa/challenges/${refused.body.challenge.id}/send`).send({ method: 'email' }).expect(200);
    await later
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .send({ method: 'email', code: await servers.inbox.lastCode(EMAIL, 2) })
      .expect(200);
    const start = await later.post('/mfa/sms/enrollments').send({ phone: PHONE }).expect(201);
    await later
      .post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: servers.gateway.lastCode() })
      .expect(200);

    const notices = await servers.inbox.waitFor(EMAIL, 3);
    expect(notices[2].subject).toBe('Security change on your nestjs-mfa tests account');
    expect(notices[2].text).toContain('SMS +90 *** *** **12');
    expect(notices[2].text).not.toContain(PHONE);
    await t.engine.notificationsSettled();
    expect(t.audit.ofType('notification.sent').map((e) => e.channel)).toEqual(['sms']);
  });

  it('does not offer or send a channel the app has not configured', async () => {
    await t.close();
    t = await startTestApp(backend, adapter, {});
    const agent = await signIn(t);
    const res = await agent.post('/mfa/sms/enrollments').send({ phone: PHONE }).expect(400);
    expect(res.body).toMatchObject({ code: 'FACTOR_UNAVAILABLE', method: 'sms' });
  });
});
