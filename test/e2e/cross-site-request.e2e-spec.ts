// CSRF: MFA's state-changing endpoints are cookie-authenticated, so a page on another
// site must not be able to drive them. Browsers mark such requests (Origin,
// Sec-Fetch-Site); those are refused with 403 CSRF_REJECTED and change nothing.
import { MATRIX, TestApp, signInEnrolled, startTestApp } from '../support/test-app';

describe.each(MATRIX)('cross-site requests on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  it('refuses a cross-site Origin on every kind of change, and changes nothing', async () => {
    t = await startTestApp(backend, adapter);
    const { agent, backupCodes } = await signInEnrolled(t);
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const attempts = [
      agent.post('/mfa/backup-codes/regenerate').set(evil).send({}),
      agent.post('/mfa/totp/enrollments').set(evil).send({}),
      agent.delete('/mfa/devices').set(evil),
      agent.delete('/mfa/enrollments/x').set(evil),
      agent.patch('/mfa/enrollments/x').set(evil).send({ label: 'Mine now' }),
      agent.post('/mfa/challenges/x/verify').set(evil).send({ method: 'totp', code: '123456' }),
      agent.post('/mfa/recovery/redeem').set(evil).send({ ticket: 'x.y' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('CSRF_REJECTED');
    }
    // The earlier backup codes still work: the regeneration never happened.
    expect((await agent.get('/mfa/enrollments').expect(200)).body.backupCodes.remaining).toBe(backupCodes.length);
  });

  it("refuses a cross-site what-if and report-only start or stop, even from a verified admin's session", async () => {
    t = await startTestApp(backend, adapter, { audit: ['database'] });
    const { agent } = await signInEnrolled(t); // alice, an admin, verified just now
    await agent
      .post('/mfa/admin/policy/versions')
      .send({ document: { services: {} } })
      .expect(201);
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    const day = { version: 2, from: '2026-01-01', to: '2026-01-02' };
    for (const res of [
      await agent.post('/mfa/admin/policy/what-if').set(evil).send(day),
      await agent.post('/mfa/admin/policy/versions/2/report-only').set(evil).send({}),
      await agent.delete('/mfa/admin/policy/report-only').set(evil),
    ]) {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'CSRF_REJECTED' });
    }
    expect((await agent.get('/mfa/admin/policy/versions').expect(200)).body.versions[1].reportOnly).toBe(false);
    // The same requests from the app's own pages pass. The diff is a GET that changes nothing: a
    // cross-site page could send it but never read the answer, so it is answered like any read.
    await agent.post('/mfa/admin/policy/what-if').send(day).expect(200);
    await agent.get('/mfa/admin/policy/diff?from=1&to=2').set(evil).expect(200);
  });

  it('refuses a cross-site form post marked only by Sec-Fetch-Site, and an opaque "null" origin', async () => {
    t = await startTestApp(backend, adapter);
    const { agent } = await signInEnrolled(t);
    await agent
      .post('/mfa/backup-codes/regenerate')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send('x=1')
      .expect(403);
    await agent.post('/mfa/backup-codes/regenerate').set('Origin', 'null').send({}).expect(403);
  });

  it('lets the same site through, and origins the app allows', async () => {
    t = await startTestApp(backend, adapter, { csrf: { allowedOrigins: ['https://app.example'] } });
    const { agent } = await signInEnrolled(t);
    const same = await agent
      .post('/mfa/backup-codes/regenerate')
      .set('Host', 'mfa.test')
      .set('Origin', 'http://mfa.test')
      .set('Sec-Fetch-Site', 'same-origin')
      .send({});
    expect(same.status).toBe(200);
    await agent
      .post('/mfa/backup-codes/regenerate')
      .set('Origin', 'https://app.example')
      .set('Sec-Fetch-Site', 'same-site')
      .send({})
      .expect(200);
    await agent.post('/mfa/backup-codes/regenerate').set('Origin', 'https://other.example').send({}).expect(403);
  });
});
