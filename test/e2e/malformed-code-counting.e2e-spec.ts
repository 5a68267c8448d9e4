// Invariant: a verify refused as malformed (400 VALIDATION_FAILED) is still a failed attempt on
// the channel it names when the challenge belongs to this session — five malformed codes lock
// the channel like five wrong ones — and a request that names no challenge of this session, or
// no factor, or comes from nobody, counts against no one.
import request from 'supertest';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const MALFORMED_CODES: unknown[] = ['', null, 123456, ['123456'], { code: '123456' }];

describe.each(MATRIX)('malformed code counting on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  it('counts an empty, null, numeric, array or object code against the channel: five lock it', async () => {
    const { secret } = await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    for (const code of MALFORMED_CODES) {
      const res = await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect(t.audit.ofType('attempt.failed').map((e) => [e.channel, e.reason])).toEqual(
      Array(5).fill(['totp', 'malformed body']),
    );
    const wrong = await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: '111111' }).expect(429);
    const right = await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(429);
    expect(right.body).toEqual(wrong.body);
    expect(right.body.code).toBe('MFA_LOCKED');
    // Still the 400 while locked: the body is what is wrong with the request.
    expect(
      (await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: null }).expect(400)).body.code,
    ).toBe('VALIDATION_FAILED');
  });

  it('counts malformed and wrong codes together, on the channel named', async () => {
    await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: '' }).expect(400);
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: 'aaaaa-aaaaa' }).expect(401);
    await agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: 42 }).expect(400);
    expect(await t.engine.lockoutStatus('u-alice')).toMatchObject({
      backup_code: { failures: 3 },
      totp: { failures: 0 },
      account: { failures: 3 },
    });
  });

  it('counts nothing when the request names no challenge of this session, no factor, or nobody', async () => {
    const { secret } = await signInEnrolled(t);
    const agent = await signIn(t);
    const id = await challengeFor(agent);
    const otherSession = await signIn(t);
    const otherId = await challengeFor(otherSession);
    const bob = await signIn(t, 'bob');
    const unidentifiable: Array<() => request.Test> = [
      () => agent.post('/mfa/challenges/no-such-challenge/verify').send({ method: 'totp', code: null }),
      () => agent.post(`/mfa/challenges/${otherId}/verify`).send({ method: 'totp', code: null }), // another session's challenge
      () => bob.post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: null }), // another user's challenge
      () => agent.post(`/mfa/challenges/${id}/verify`).send({ method: 'password', code: null }), // not a factor
      () => agent.post(`/mfa/challenges/${id}/verify`).send({ method: ['totp'], code: null }),
      () => agent.post(`/mfa/challenges/${id}/verify`).send({ code: 123456 }), // no method
      () => agent.post(`/mfa/challenges/${id}/verify`).send([{ method: 'totp', code: null }]), // not an object
    ];
    for (let round = 0; round < 3; round++) {
      for (const send of unidentifiable) expect((await send()).body.code).toBe('VALIDATION_FAILED');
      // Anonymous: refused before the body is read, counted against no one.
      expect(
        (await request(t.http).post(`/mfa/challenges/${id}/verify`).send({ method: 'totp', code: null })).body.code,
      ).toBe('UNAUTHENTICATED');
    }
    expect(t.audit.ofType('attempt.failed')).toHaveLength(0);
    expect(await t.engine.lockoutStatus('u-alice')).toMatchObject({ totp: { failures: 0 }, account: { failures: 0 } });
    expect(await t.engine.lockoutStatus('u-bob')).toMatchObject({ totp: { failures: 0 }, account: { failures: 0 } });
    await agent
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
  });
});
