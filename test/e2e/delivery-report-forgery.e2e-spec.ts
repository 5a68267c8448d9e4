// Delivery reports come from the provider, not from a session: Twilio's are accepted only
// with a valid X-Twilio-Signature over the configured URL, Vonage's only with the URL
// token. A forged report changes nothing and is refused with 403.
import { twilioSignature } from '../../libs/delivery/src';
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { MATRIX, TestApp, signIn, startTestApp } from '../support/test-app';
import request from 'supertest';

const CALLBACK_URL = 'https://app.example.test/mfa/delivery/twilio/status';

describe.each(MATRIX)('delivery report forgery on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  afterEach(() => t.close());

  async function sentSid(): Promise<string> {
    const agent = await signIn(t);
    await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    return `SM${servers.gateway.requests.length}`;
  }

  const status = async () =>
    (await t.store.dataSource.query('SELECT delivery_status FROM mfa_otp_codes'))[0].delivery_status;

  it('records a Twilio report with a valid signature and refuses a forged one', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(servers.gateway, servers.inbox));
    const sid = await sentSid();
    expect(servers.gateway.requests.at(-1)!.body.StatusCallback).toBe(CALLBACK_URL);
    expect(await status()).toBe('queued');

    const report = { MessageSid: sid, MessageStatus: 'undelivered', AccountSid: 'AC0123456789', ErrorCode: '30003' };
    const forged = await request(t.http)
      .post('/mfa/delivery/twilio/status')
      .type('form')
      .set('X-Twilio-Signature', twilioSignature('guessed-token', CALLBACK_URL, report))
      .send(report)
      .expect(403);
    expect(forged.body.code).toBe('DELIVERY_CALLBACK_REJECTED');
    await request(t.http).post('/mfa/delivery/twilio/status').type('form').send(report).expect(403);
    expect(await status()).toBe('queued');

    const signed = twilioSignature('twilio-auth-token-secret', CALLBACK_URL, report);
    const ok = await request(t.http)
      .post('/mfa/delivery/twilio/status')
      .type('form')
      .set('X-Twilio-Signature', signed)
      .send(report)
      .expect(200);
    expect(ok.body).toEqual({ recorded: true });
    expect(await status()).toBe('undelivered');
    expect(t.audit.ofType('code.delivery_status')[0]).toMatchObject({
      userId: 'u-alice',
      severity: 'warning',
      outcome: 'failure',
      reason: 'twilio: undelivered',
    });
  });

  it('accepts a Vonage receipt only with the URL token, by GET or POST', async () => {
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      sms: {
        preset: 'vonage',
        apiKey: 'k',
        apiSecret: 's',
        from: 'Acme',
        baseUrl: servers.gateway.url,
        callbackUrl: 'https://app.example.test/mfa/delivery/vonage/status?token=dlr-secret',
        callbackToken: 'dlr-secret',
      },
    });
    servers.gateway.answer = () => ({ status: 200, body: { messages: [{ 'message-id': 'V-77', status: '0' }] } });
    const agent = await signIn(t);
    await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    servers.gateway.answer = () => ({ status: 201, body: { sid: 'SM1', status: 'queued' } });

    await request(t.http)
      .get('/mfa/delivery/vonage/status')
      .query({ token: 'nope', messageId: 'V-77', status: 'delivered' })
      .expect(403);
    await request(t.http)
      .get('/mfa/delivery/vonage/status')
      .query({ token: 'dlr-secret', messageId: 'V-77', status: 'delivered' })
      .expect(200);
    expect(await status()).toBe('delivered');
    await request(t.http)
      .post('/mfa/delivery/vonage/status?token=dlr-secret')
      .send({ messageId: 'V-77', status: 'failed' })
      .expect(200);
    expect(await status()).toBe('failed');
    // A report for a message we never sent is authentic but changes nothing.
    const unknown = await request(t.http)
      .get('/mfa/delivery/vonage/status')
      .query({ token: 'dlr-secret', messageId: 'V-00', status: 'delivered' })
      .expect(200);
    expect(unknown.body).toEqual({ recorded: false });
  });

  it('refuses reports for a provider the app does not use', async () => {
    t = await startTestApp(backend, adapter, deliveryOptions(servers.gateway, servers.inbox));
    const res = await request(t.http)
      .post('/mfa/delivery/plivo/status')
      .send({ MessageUUID: 'x', Status: 'delivered' })
      .expect(403);
    expect(res.body.code).toBe('DELIVERY_CALLBACK_REJECTED');
  });
});
