// Invariant: the Nest module and the Express middleware speak one HTTP contract — the same
// statuses, error codes, headers and body shapes for the same script of requests.
import { Response } from 'supertest';
import { BACKENDS } from '../support/backends';
import { Adapter, signIn, startTestApp, totpAt } from '../support/test-app';

const HEADERS = ['www-authenticate', 'retry-after', 'cache-control'];

function normalize(value: unknown): unknown {
  const text = JSON.stringify(value ?? null)
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/"secret":"[A-Z2-7]+"/g, '"secret":"<base32>"')
    .replace(/secret=[A-Z2-7]+/g, 'secret=<base32>')
    .replace(/"qrSvg":"(?:[^"\\]|\\.)*"/g, '"qrSvg":"<svg>"')
    .replace(/"[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}"/g, '"<backup-code>"')
    .replace(/"user":\{[^}]*\}/g, '"user":"<user>"');
  return JSON.parse(text);
}

async function transcript(adapter: Adapter): Promise<unknown[]> {
  const t = await startTestApp(BACKENDS[0], adapter);
  const lines: unknown[] = [];
  const note = (label: string, res: Response) =>
    lines.push({
      label,
      status: res.status,
      body: normalize(res.body),
      headers: Object.fromEntries(HEADERS.map((h) => [h, normalize(res.headers[h])])),
    });
  try {
    const agent = await signIn(t, 'alice');
    note('guarded, not enrolled', await agent.get('/profile/security'));
    note('bad enrollment body', await agent.post('/mfa/totp/enrollments').send({ label: 7, extra: true }));
    const start = await agent.post('/mfa/totp/enrollments').send({ label: 'Phone' });
    note('start enrollment', start);
    note(
      'confirm wrong',
      await agent.post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`).send({ code: '000000' }),
    );
    note('confirm unknown', await agent.post('/mfa/totp/enrollments/nope/confirm').send({ code: '000000' }));
    note(
      'confirm',
      await agent
        .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
        .send({ code: totpAt(start.body.secret, t.clock) }),
    );
    t.clock.advance(30);
    const fresh = await signIn(t, 'alice');
    const challenged = await fresh.get('/admin');
    note('step-up demanded', challenged);
    note('enroll refused on password alone', await fresh.post('/mfa/totp/enrollments').send({}));
    note('verify bad body', await fresh.post(`/mfa/challenges/${challenged.body.challenge.id}/verify`).send([]));
    for (let i = 0; i < 5; i++)
      note(
        `verify wrong ${i}`,
        await fresh
          .post(`/mfa/challenges/${challenged.body.challenge.id}/verify`)
          .send({ method: 'totp', code: '111111' }),
      );
    note(
      'locked',
      await fresh
        .post(`/mfa/challenges/${challenged.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) }),
    );
    t.clock.advance(901);
    const again = await fresh.get('/admin');
    note(
      'verify',
      await fresh
        .post(`/mfa/challenges/${again.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) }),
    );
    note('admin', await fresh.get('/admin'));
    note('list', await fresh.get('/mfa/enrollments'));
    note('rename', await fresh.patch(`/mfa/enrollments/${start.body.enrollmentId}`).send({ label: ' Work phone ' }));
    note(
      'rename bad label',
      await fresh.patch(`/mfa/enrollments/${start.body.enrollmentId}`).send({ label: 'a\u202Eb' }),
    );
    note('regenerate', await fresh.post('/mfa/backup-codes/regenerate'));
    const transfer = await fresh.post('/payments/transfer');
    note('transfer needs a single-use grant', transfer);
    t.clock.advance(30);
    note(
      'grant',
      await fresh
        .post(`/mfa/challenges/${transfer.body.challenge.id}/verify`)
        .send({ method: 'totp', code: totpAt(start.body.secret, t.clock) }),
    );
    note('refund is another operation', await fresh.post('/payments/refund'));
    note('transfer', await fresh.post('/payments/transfer'));
    note('transfer again', await fresh.post('/payments/transfer'));
    note('embargo', await fresh.get('/payments').set('cf-ipcountry', 'KP'));
    note('unknown baseline country, then DE', await fresh.get('/profile/security').set('cf-ipcountry', 'DE'));
    const bob = await signIn(t, 'bob');
    note('admin forbidden', await bob.get('/mfa/admin/policy/versions'));
    note('versions', await fresh.get('/mfa/admin/policy/versions'));
    note('invalid policy', await fresh.post('/mfa/admin/policy/versions').send({ document: { rules: [{ id: 'x' }] } }));
    note(
      'new version',
      await fresh
        .post('/mfa/admin/policy/versions')
        .send({ document: { services: { payments: { require: 'totp' } } }, comment: 'c' }),
    );
    note('activate', await fresh.post('/mfa/admin/policy/versions/2/activate'));
    note('rollback', await fresh.post('/mfa/admin/policy/rollback'));
    note('unknown version', await fresh.post('/mfa/admin/policy/versions/abc/activate'));
    note(
      'explain',
      await fresh
        .post('/mfa/admin/policy/explain')
        .send({ userId: 'u-bob', target: { service: 'payments', operation: 'transfer' }, context: { country: 'TR' } }),
    );
    note('audit query without a searchable sink', await fresh.get('/mfa/admin/audit').query({ limit: 5 }));
    note('audit query bad params', await fresh.get('/mfa/admin/audit').query({ limit: 'x' }));
    note('explain bad body', await fresh.post('/mfa/admin/policy/explain').send({ userId: 5 }));
    await t.store.dataSource.destroy();
    note('store down', await fresh.get('/admin'));
    return lines;
  } finally {
    await t.close();
  }
}

describe('adapter parity', () => {
  it('Express 5 and Express 4 answer the whole script exactly as the Nest module does', async () => {
    const nest = await transcript('nest');
    expect(nest).toHaveLength(40);
    expect(await transcript('express5')).toEqual(nest);
    expect(await transcript('express4')).toEqual(nest);
  });
});
