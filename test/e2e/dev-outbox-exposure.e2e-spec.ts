// The sample's development outbox shows codes to whoever asks, so it exists only when
// MFA_DEV_OUTBOX=1 is set explicitly, and never under NODE_ENV=production.
import { DEV_OUTBOX } from '../../sample-app/shared/dev-outbox';
import { BACKENDS } from '../support/backends';
import { startSampleApp } from '../support/sample-host';
import { ADAPTERS, TestApp, challengeFor, signIn } from '../support/test-app';

const sqlite = BACKENDS[0];

describe.each(ADAPTERS)('dev outbox exposure via %s', (adapter) => {
  let t: TestApp | undefined;
  const saved = { outbox: process.env.MFA_DEV_OUTBOX, env: process.env.NODE_ENV };
  const stderr = process.stderr.write.bind(process.stderr);

  afterEach(async () => {
    await t?.close();
    t = undefined;
    process.env.MFA_DEV_OUTBOX = saved.outbox;
    process.env.NODE_ENV = saved.env;
    process.stderr.write = stderr;
    DEV_OUTBOX.clear();
  });

  it('is absent by default: no route, and SMS cannot be enrolled', async () => {
    delete process.env.MFA_DEV_OUTBOX;
    t = await startSampleApp(sqlite, adapter);
    const agent = await signIn(t);
    await agent.get('/dev/outbox').expect(404);
    await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(400);
  });

  it('runs the whole SMS flow locally when development mode is on', async () => {
    process.env.MFA_DEV_OUTBOX = '1';
    t = await startSampleApp(sqlite, adapter);
    const agent = await signIn(t);
    const start = await agent.post('/mfa/sms/enrollments').send({ phone: '+905321234512' }).expect(201);
    const outbox = await agent.get('/dev/outbox').expect(200);
    expect(outbox.body.messages[0]).toMatchObject({ channel: 'sms', to: '+905321234512' });
    const code = /\d{6}/.exec(outbox.body.messages[0].text)![0];
    await agent.post(`/mfa/sms/enrollments/${start.body.enrollmentId}/confirm`).send({ code }).expect(200);
    const fresh = await signIn(t);
    const id = await challengeFor(fresh);
    await fresh.post(`/mfa/challenges/${id}/send`).send({ method: 'sms' }).expect(200);
    const second = /\d{6}/.exec((await fresh.get('/dev/outbox').expect(200)).body.messages[0].text)![0];
    await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'sms', code: second }).expect(200);
  });

  it('stays off under NODE_ENV=production even when asked for', async () => {
    process.env.MFA_DEV_OUTBOX = '1';
    process.env.NODE_ENV = 'production';
    const warnings: string[] = [];
    process.stderr.write = ((c: string) => (warnings.push(String(c)), true)) as typeof process.stderr.write;
    t = await startSampleApp(sqlite, adapter);
    process.env.NODE_ENV = saved.env; // the app is built; cookies in this test run over plain HTTP
    const agent = await signIn(t);
    await agent.get('/dev/outbox').expect(404);
    expect(warnings.join('')).toContain('MFA_DEV_OUTBOX is ignored because NODE_ENV=production');
  });
});
