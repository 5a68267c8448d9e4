// Invariant: what a guarded decision leaves in the audit trail never changes its answer. A host
// whose resolver hands over groups that are not strings (a JWT's numeric groups) gets the same
// 401 MFA_REQUIRED with a challenge as any other, the groups recorded as strings; and a record
// that cannot be built at all is left out of the event, never turned into a 500.
import request from 'supertest';
import type { MfaSubject } from '../../libs/core/src';
import { MATRIX, startTestApp, TestApp, totpAt } from '../support/test-app';

/** A host's own resolver, as a token app would write it: the groups straight from the claims. */
const groupsFrom =
  (groups: unknown[]) =>
  (req: Record<string, any>): MfaSubject | null =>
    req.headers['x-test-user']
      ? { userId: req.headers['x-test-user'], sessionId: req.headers['x-test-session'], groups: groups as string[] }
      : null;

describe.each(MATRIX)('decision records that cannot fail a request on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  const as = (session: string) => ({
    get: (path: string) => request(t.http).get(path).set({ 'x-test-user': 'u-token', 'x-test-session': session }),
    post: (path: string, body: object = {}) =>
      request(t.http).post(path).set({ 'x-test-user': 'u-token', 'x-test-session': session }).send(body),
  });

  async function enrolledThenFresh(): Promise<{ secret: string }> {
    const start = await as('one').post('/mfa/totp/enrollments').expect(201);
    await as('one')
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, { code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    t.clock.advance(30);
    return { secret: start.body.secret };
  }

  it('challenges a user with numeric groups as any other, and records the groups as strings', async () => {
    t = await startTestApp(backend, adapter, { resolveSubject: groupsFrom([42, 7]), decisionAudit: 'all' });
    const { secret } = await enrolledThenFresh();
    const refused = await as('two').get('/payments').expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    expect(refused.body.challenge.id).toEqual(expect.any(String));
    expect(t.audit.ofType('challenge.issued').at(-1)?.replay?.groups).toEqual(['42', '7']);
    await as('two')
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`, { method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    await as('two').get('/payments').expect(200);
    expect(t.audit.ofType('decision.allowed').at(-1)?.replay?.groups).toEqual(['42', '7']);
  });

  it('answers as usual when the record cannot be built, and audits the decision without it', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    // A group no String() can turn into text: building the record throws.
    const unprintable = { toString: () => ({}) };
    t = await startTestApp(backend, adapter, { resolveSubject: groupsFrom([unprintable]), decisionAudit: 'all' });
    try {
      const { secret } = await enrolledThenFresh();
      const refused = await as('two').get('/payments').expect(401);
      expect(refused.body.code).toBe('MFA_REQUIRED');
      const issued = t.audit.ofType('challenge.issued').at(-1);
      expect(issued).toMatchObject({ userId: 'u-token', challengeId: refused.body.challenge.id });
      expect(issued?.replay).toBeUndefined();
      await as('two')
        .post(`/mfa/challenges/${refused.body.challenge.id}/verify`, { method: 'totp', code: totpAt(secret, t.clock) })
        .expect(200);
      await as('two').get('/payments').expect(200);
      await as('two').get('/payments').set('cf-ipcountry', 'KP').expect(403);
      expect(t.audit.ofType('decision.denied').at(-1)).toMatchObject({ ruleId: 'embargoed-countries' });
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/^nestjs-mfa: decision record failed: /));
    } finally {
      write.mockRestore();
    }
  });
});
