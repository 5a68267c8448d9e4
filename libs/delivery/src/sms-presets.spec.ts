// Each preset sends the request its provider documents (method, path, auth, body) to a
// real local HTTP server standing in for the provider, and reads its answer.
import { LocalSmsGateway } from '../../../test/support/sms-gateway';
import { HttpSmsSender } from './http-sms.sender';
import { SMS_PRESETS, smsPreset, twilioSignature } from './sms-presets';
import { DeliveryError } from '../../core/src';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const MESSAGE = { to: '+905321234512', text: '123456 is your code' };

describe('SMS presets against a local gateway', () => {
  let gw: LocalSmsGateway;
  beforeAll(async () => (gw = await LocalSmsGateway.start()));
  afterAll(() => gw.close());
  beforeEach(() => (gw.requests.length = 0));

  it('twilio: form POST to /2010-04-01/Accounts/{sid}/Messages.json with basic auth and StatusCallback', async () => {
    gw.answer = () => ({ status: 201, body: { sid: 'SM123', status: 'queued' } });
    const sender = new HttpSmsSender(
      SMS_PRESETS.twilio({
        accountSid: 'AC42',
        authToken: 'tok',
        from: '+15005550006',
        baseUrl: gw.url,
        statusCallbackUrl: 'https://app.test/cb',
      }),
    );
    expect(await sender.send(MESSAGE)).toEqual({ provider: 'twilio', messageId: 'SM123', status: 'queued' });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers.authorization, req.headers['content-type']]).toEqual([
      'POST',
      '/2010-04-01/Accounts/AC42/Messages.json',
      basic('AC42', 'tok'),
      'application/x-www-form-urlencoded',
    ]);
    expect(req.body).toEqual({
      To: '+905321234512',
      From: '+15005550006',
      Body: '123456 is your code',
      StatusCallback: 'https://app.test/cb',
    });
  });

  it('twilio: a messaging service instead of a From number', async () => {
    await new HttpSmsSender(
      SMS_PRESETS.twilio({ accountSid: 'AC42', authToken: 'tok', messagingServiceSid: 'MG1', baseUrl: gw.url }),
    ).send(MESSAGE);
    expect(gw.requests[0].body).toEqual({
      To: '+905321234512',
      MessagingServiceSid: 'MG1',
      Body: '123456 is your code',
    });
  });

  it('vonage: form POST to /sms/json with key and secret, digits only; status "0" is success', async () => {
    gw.answer = () => ({
      status: 200,
      body: { 'message-count': '1', messages: [{ to: '905321234512', 'message-id': 'V-1', status: '0' }] },
    });
    const sender = new HttpSmsSender(
      SMS_PRESETS.vonage({
        apiKey: 'k',
        apiSecret: 's',
        from: 'Acme',
        baseUrl: gw.url,
        callbackUrl: 'https://app.test/v?token=t',
        callbackToken: 't',
      }),
    );
    expect(await sender.send(MESSAGE)).toMatchObject({ provider: 'vonage', messageId: 'V-1' });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers['content-type']]).toEqual([
      'POST',
      '/sms/json',
      'application/x-www-form-urlencoded',
    ]);
    expect(req.body).toEqual({
      api_key: 'k',
      api_secret: 's',
      from: 'Acme',
      to: '905321234512',
      text: '123456 is your code',
      callback: 'https://app.test/v?token=t',
    });
  });

  it('vonage: a 200 that carries a refusal is a failure with the provider status', async () => {
    gw.answer = () => ({ status: 200, body: { messages: [{ status: '4', 'error-text': 'Bad Credentials k/s' }] } });
    const sender = new HttpSmsSender(
      SMS_PRESETS.vonage({ apiKey: 'k', apiSecret: 's', from: 'Acme', baseUrl: gw.url }),
    );
    const err = (await sender.send(MESSAGE).catch((e) => e)) as DeliveryError;
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err.providerStatus).toBe('HTTP 200 4');
    expect(err.message).not.toContain('Bad Credentials');
  });

  it('infobip: JSON POST to /sms/2/text/advanced with "App" auth', async () => {
    gw.answer = () => ({
      status: 200,
      body: { bulkId: 'b', messages: [{ to: '905321234512', status: { groupName: 'PENDING' }, messageId: 'IB-1' }] },
    });
    const sender = new HttpSmsSender(
      SMS_PRESETS.infobip({ apiKey: 'key', baseUrl: `${gw.url}/`, from: 'InfoSMS', notifyUrl: 'https://app.test/ib' }),
    );
    expect(await sender.send(MESSAGE)).toEqual({ provider: 'infobip', messageId: 'IB-1', status: 'PENDING' });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers.authorization, req.headers['content-type']]).toEqual([
      'POST',
      '/sms/2/text/advanced',
      'App key',
      'application/json',
    ]);
    expect(req.body).toEqual({
      messages: [
        {
          destinations: [{ to: '905321234512' }],
          from: 'InfoSMS',
          text: '123456 is your code',
          notifyUrl: 'https://app.test/ib',
        },
      ],
    });
  });

  it('messagebird: JSON POST to /messages with "AccessKey" auth', async () => {
    gw.answer = () => ({
      status: 201,
      body: { id: 'mb-1', recipients: { items: [{ recipient: 905321234512, status: 'sent' }] } },
    });
    const sender = new HttpSmsSender(
      SMS_PRESETS.messagebird({ accessKey: 'live_x', originator: 'Acme', baseUrl: gw.url }),
    );
    expect(await sender.send(MESSAGE)).toEqual({ provider: 'messagebird', messageId: 'mb-1', status: 'sent' });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers.authorization]).toEqual(['POST', '/messages', 'AccessKey live_x']);
    expect(req.body).toEqual({ recipients: ['905321234512'], originator: 'Acme', body: '123456 is your code' });
  });

  it('plivo: JSON POST to /v1/Account/{auth_id}/Message/ with basic auth', async () => {
    gw.answer = () => ({ status: 202, body: { api_id: 'a', message: 'message(s) queued', message_uuid: ['pl-1'] } });
    const sender = new HttpSmsSender(
      smsPreset({
        preset: 'plivo',
        authId: 'MA1',
        authToken: 'pt',
        src: '+14155551234',
        baseUrl: gw.url,
        url: 'https://app.test/pl',
      }),
    );
    expect(await sender.send(MESSAGE)).toMatchObject({ provider: 'plivo', messageId: 'pl-1' });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers.authorization]).toEqual([
      'POST',
      '/v1/Account/MA1/Message/',
      basic('MA1', 'pt'),
    ]);
    expect(req.body).toEqual({
      src: '+14155551234',
      dst: '+905321234512',
      text: '123456 is your code',
      url: 'https://app.test/pl',
    });
  });

  it('a generic template: bearer auth, JSON placeholders, a success rule and a message-id path', async () => {
    gw.answer = () => ({ status: 200, body: { result: { ok: true, id: 77 } } });
    const sender = new HttpSmsSender({
      provider: 'my-gateway',
      url: `${gw.url}/v2/send?to={{toDigits}}`,
      method: 'PUT',
      auth: { type: 'bearer', token: 'btok' },
      headers: { 'x-tenant': 'acme' },
      body: { type: 'json', value: { phone: '{{to}}', message: '{{text}}', tags: ['otp'], priority: 1 } },
      success: { path: 'result.ok', equals: true },
      messageIdPath: 'result.id',
    });
    expect(await sender.send(MESSAGE)).toEqual({ provider: 'my-gateway', messageId: '77', status: undefined });
    const req = gw.requests[0];
    expect([req.method, req.path, req.headers.authorization, req.headers['x-tenant']]).toEqual([
      'PUT',
      '/v2/send?to=905321234512',
      'Bearer btok',
      'acme',
    ]);
    expect(req.body).toEqual({ phone: '+905321234512', message: '123456 is your code', tags: ['otp'], priority: 1 });
  });

  it('a non-2xx answer is a DeliveryError carrying only the status and the configured error code', async () => {
    gw.answer = () => ({
      status: 400,
      body: { code: 21211, message: "The 'To' number +905321234512 is not valid", more_info: 'tok' },
    });
    const sender = new HttpSmsSender(
      SMS_PRESETS.twilio({ accountSid: 'AC42', authToken: 'tok', from: '+1', baseUrl: gw.url }),
    );
    const err = (await sender.send(MESSAGE).catch((e) => e)) as DeliveryError;
    expect(err.providerStatus).toBe('HTTP 400 21211');
    expect(err.message).not.toContain('905321234512');
  });

  it('refuses incomplete configuration at start-up', () => {
    expect(() => SMS_PRESETS.twilio({ accountSid: 'AC1', authToken: 'x' })).toThrow(/from or messagingServiceSid/);
    expect(() => SMS_PRESETS.infobip({ apiKey: 'k', from: 'x' } as never)).toThrow(/baseUrl/);
    expect(() => smsPreset({ preset: 'carrier-pigeon' } as never)).toThrow(/Unknown sms preset/);
    expect(() => new HttpSmsSender({ provider: 'x', url: 'ftp://x' })).toThrow(/http/);
  });
});

describe('delivery report authentication', () => {
  const twilio = new HttpSmsSender(
    SMS_PRESETS.twilio({
      accountSid: 'AC42',
      authToken: 'tok',
      from: '+1',
      statusCallbackUrl: 'https://app.test/mfa/delivery/twilio/status',
    }),
  );
  const body = { MessageSid: 'SM1', MessageStatus: 'delivered', AccountSid: 'AC42' };

  it("accepts Twilio's signature over the configured URL and sorted parameters", () => {
    // Twilio's published example (TwilioDevEd/api-snippets, signature_validation.3.x.js).
    expect(
      twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', {
        CallSid: 'CA1234567890ABCDE',
        Caller: '+14158675310',
        Digits: '1234',
        From: '+14158675310',
        To: '+18005551212',
      }),
    ).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    const signature = twilioSignature('tok', 'https://app.test/mfa/delivery/twilio/status', body);
    expect(
      twilio.parseStatusCallback('twilio', { query: {}, body, headers: { 'x-twilio-signature': signature } }),
    ).toEqual({ provider: 'twilio', messageId: 'SM1', status: 'delivered' });
  });

  it('refuses a missing, forged or other-URL signature, and another provider name', () => {
    const other = twilioSignature('tok', 'https://evil.test/mfa/delivery/twilio/status', body);
    const forged = twilioSignature('wrong-token', 'https://app.test/mfa/delivery/twilio/status', body);
    for (const sig of [undefined, '', other, forged])
      expect(
        twilio.parseStatusCallback('twilio', { query: {}, body, headers: { 'x-twilio-signature': sig } }),
      ).toBeNull();
    const tampered = { ...body, MessageStatus: 'failed' };
    const good = twilioSignature('tok', 'https://app.test/mfa/delivery/twilio/status', body);
    expect(
      twilio.parseStatusCallback('twilio', { query: {}, body: tampered, headers: { 'x-twilio-signature': good } }),
    ).toBeNull();
    expect(
      twilio.parseStatusCallback('vonage', { query: {}, body, headers: { 'x-twilio-signature': good } }),
    ).toBeNull();
  });

  it('accepts a Vonage receipt only with the URL token', () => {
    const vonage = new HttpSmsSender(
      SMS_PRESETS.vonage({
        apiKey: 'k',
        apiSecret: 's',
        from: 'A',
        callbackUrl: 'https://app.test/v?token=t0k',
        callbackToken: 't0k',
      }),
    );
    const report = { messageId: 'V-1', status: 'delivered', msisdn: '905321234512' };
    expect(vonage.parseStatusCallback('vonage', { query: { token: 't0k', ...report }, body: {}, headers: {} })).toEqual(
      { provider: 'vonage', messageId: 'V-1', status: 'delivered' },
    );
    expect(vonage.parseStatusCallback('vonage', { query: { token: 't0K' }, body: report, headers: {} })).toBeNull();
    expect(vonage.parseStatusCallback('vonage', { query: {}, body: report, headers: {} })).toBeNull();
  });
});
