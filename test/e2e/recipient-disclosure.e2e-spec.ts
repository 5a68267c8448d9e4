// Masking on every surface: once bound, a phone number or address appears to the client,
// the audit trail and the logs only masked (`+90 *** *** **12`, `y***@example.com`) —
// in answers, challenges, factor lists, refusals and errors alike.
import { LocalSmsGateway, deliveryOptions } from '../support/sms-gateway';
import { SmtpInbox } from '../support/smtp-inbox';
import { MATRIX, TestApp, signIn, startTestApp } from '../support/test-app';
import type { Response } from 'supertest';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

const PHONE = '+905321234512';
const PHONE_DIGITS = ['905321234512', '5321234512', '532 123 45 12'];
const EMAIL = 'yusuf.alpha@example.com';

describe.each(MATRIX)('recipient disclosure on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let gateway: LocalSmsGateway;
  let inbox: SmtpInbox;
  let audit: CapturingAuditSink;
  const answers: string[] = [];
  const logs: string[] = [];
  const writes = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };

  beforeAll(async () => {
    gateway = await LocalSmsGateway.start();
    inbox = await SmtpInbox.start();
  });
  afterAll(async () => {
    await gateway.close();
    await inbox.close();
  });
  beforeEach(async () => {
    answers.length = 0;
    logs.length = 0;
    process.stdout.write = ((c: string) => (logs.push(String(c)), true)) as typeof process.stdout.write;
    process.stderr.write = ((c: string) => (logs.push(String(c)), true)) as typeof process.stderr.write;
    audit = new CapturingAuditSink();
    // The logger sink writes JSON lines to stdout (captured here); the capturing sink keeps the events themselves.
    t = await startTestApp(
      backend,
      adapter,
      { ...deliveryOptions(gateway, inbox), audit: ['logger', audit], lockout: { maxAttempts: 2 } },
      { logs: true },
    );
  });
  afterEach(async () => {
    await t.close();
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  });

  const seen = (res: Response) => (answers.push(JSON.stringify(res.body) + JSON.stringify(res.headers)), res);

  it('never shows a bound target in full, anywhere', async () => {
    const agent = await signIn(t);
    const sms = seen(await agent.post('/mfa/sms/enrollments').send({ phone: PHONE, label: 'phone' }).expect(201));
    seen(await agent.post(`/mfa/sms/enrollments/${sms.body.enrollmentId}/resend`).send({}).expect(429));
    seen(
      await agent
        .post(`/mfa/sms/enrollments/${sms.body.enrollmentId}/confirm`)
        .send({ code: gateway.lastCode() })
        .expect(200),
    );
    const email = seen(await agent.post('/mfa/email/enrollments').send({ email: EMAIL }).expect(201));
    seen(
      await agent
        .post(`/mfa/email/enrollments/${email.body.enrollmentId}/confirm`)
        .send({ code: await inbox.lastCode(EMAIL, 1) })
        .expect(200),
    );
    seen(await agent.get('/mfa/enrollments').expect(200));

    const fresh = await signIn(t);
    const challenge = seen(await fresh.get('/profile/security').expect(401));
    const id = challenge.body.challenge.id;
    seen(await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200));
    seen(await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(429));
    seen(await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'email' }).expect(200));
    seen(await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: '000000' }));
    seen(await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: '000001' }));
    seen(await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: '000002' }).expect(429));
    seen(await fresh.post('/mfa/sms/enrollments').send({ phone: '+90 532 123 45 1' }));
    await t.engine.notificationsSettled();

    expect(answers.join('\n')).toContain('+90 *** *** **12');
    expect(answers.join('\n')).toContain('y***@example.com');
    expect(audit.ofType('code.sent').length).toBeGreaterThan(2);
    expect(logs.join('')).toContain('"type":"code.sent"');
    for (const surface of [answers.join('\n'), JSON.stringify(audit.events), logs.join('')]) {
      expect(surface).not.toContain(EMAIL);
      for (const digits of PHONE_DIGITS) expect(surface).not.toContain(digits);
    }
    // Nor does any code that was sent (whole numbers only: a timestamp may contain any six digits).
    const codes = [
      ...gateway.requests.map((r) => r.body.Body as string),
      ...inbox.messages.map((m) => m.text ?? ''),
    ].flatMap((text) => text.match(/\d{6}/g) ?? []);
    expect(codes.length).toBeGreaterThanOrEqual(4);
    for (const surface of [answers.join('\n'), JSON.stringify(audit.events), logs.join('')]) {
      for (const code of codes) expect(surface).not.toMatch(new RegExp(`(?<![\\d-])${code}(?![\\d-])`));
    }
    // The store keeps the targets sealed: the plain number is in no column.
    const rows = JSON.stringify(await t.store.dataSource.query('SELECT * FROM mfa_enrollments'));
    expect(rows).not.toContain('5321234512');
    expect(rows).not.toContain(EMAIL);
  });
});
