// Malformed phone numbers and addresses get a clear 400 with a stable code, never a 500,
// and nothing is stored or sent for them.
import { LocalSmsGateway, deliveryOptions } from '../support/sms-gateway';
import { SmtpInbox } from '../support/smtp-inbox';
import { MATRIX, TestApp, signIn, startTestApp } from '../support/test-app';

const BAD_PHONES: unknown[] = [
  '12345',
  '+1 555',
  '+90 532 123 45 12 99 99',
  '0532 123 45 12',
  'not a number',
  '+90532abc4512',
  '+0000000000',
  "+1'; DROP TABLE x;--",
  '+'.repeat(40),
];
const BAD_EMAILS: unknown[] = [
  'plain',
  'a@b',
  '@example.com',
  'a b@example.com',
  'a@exa mple.com',
  'a@example..com',
  '"x"@[1.2.3.4]',
  `${'a'.repeat(65)}@example.com`,
  'a@example.com\r\nBcc: x@evil.test',
];

describe.each(MATRIX)('invalid delivery targets on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let gateway: LocalSmsGateway;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    gateway = await LocalSmsGateway.start();
    inbox = await SmtpInbox.start();
    t = await startTestApp(backend, adapter, deliveryOptions(gateway, inbox));
  });
  afterAll(async () => {
    await t.close();
    await gateway.close();
    await inbox.close();
  });

  it.each(BAD_PHONES.map((p) => [JSON.stringify(p), p]))(
    'phone %s → 400 INVALID_PHONE_NUMBER',
    async (_label, phone) => {
      const agent = await signIn(t);
      const res = await agent.post('/mfa/sms/enrollments').send({ phone });
      expect(res.status).toBe(400);
      expect(res.body.code).toMatch(/^(INVALID_PHONE_NUMBER|VALIDATION_FAILED)$/);
      if (typeof phone === 'string' && phone.length <= 32)
        expect(res.body).toMatchObject({
          code: 'INVALID_PHONE_NUMBER',
          message: expect.stringContaining('international format'),
        });
    },
  );

  it.each(BAD_EMAILS.map((e) => [JSON.stringify(e), e]))(
    'email %s → 400 INVALID_EMAIL_ADDRESS',
    async (_label, email) => {
      const agent = await signIn(t);
      const res = await agent.post('/mfa/email/enrollments').send({ email });
      expect(res.status).toBe(400);
      expect(res.body.code).toMatch(/^(INVALID_EMAIL_ADDRESS|VALIDATION_FAILED)$/);
    },
  );

  it.each([
    ['no phone', '/mfa/sms/enrollments', {}],
    ['phone as a number', '/mfa/sms/enrollments', { phone: 905321234512 }],
    ['phone as an array', '/mfa/sms/enrollments', { phone: ['+905321234512'] }],
    ['email as an object', '/mfa/email/enrollments', { email: { $ne: '' } }],
    ['send with an unknown method', '/mfa/challenges/x/send', { method: 'carrier-pigeon' }],
  ])('%s → 400 VALIDATION_FAILED', async (_label, path, body) => {
    const agent = await signIn(t);
    const res = await agent.post(path).send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('stored nothing and sent nothing for any of them', async () => {
    expect(gateway.requests).toHaveLength(0);
    expect(inbox.messages).toHaveLength(0);
    expect(await t.store.dataSource.query('SELECT id FROM mfa_enrollments')).toHaveLength(0);
  });
});
