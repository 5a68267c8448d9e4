// Invariant: every verification records the NIST 800-63B AAL it reached and its RFC 8176 amr; a step's minAal
// is met only by verifications that reach it (email 1, synced passkey 2, device-bound passkey 3), and a passkey
// stands for two chain steps only with user verification and only when the policy says so.
import TestAgent from 'supertest/lib/agent';
import type { PolicyDocument, RequirementSpec } from '../../libs/core/src';
import { sessionRefOf } from '../../libs/core/src/audit/audit-trail';
import { MfaSessionFactorEntity } from '../../libs/typeorm/src';
import { useDeliveryServers } from '../support/delivery-servers';
import { enrollPasskey, PASSKEY_OPTIONS, PASSKEY_ORIGIN, verifyWithPasskey } from '../support/passkeys';
import { deliveryOptions } from '../support/sms-gateway';
import { SoftAuthenticator, SoftAuthenticatorOptions } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const DEVICE_BOUND: SoftAuthenticatorOptions = { backupEligible: false };
const SYNCED: SoftAuthenticatorOptions = { backupEligible: true, backedUp: true };

const paymentsRequire = (require: RequirementSpec, methods?: PolicyDocument['methods']): PolicyDocument => ({
  ...(methods && { methods }),
  services: { payments: { require } },
});

/** The express-session id inside the agent's `connect.sid` cookie: it is renewed by each verification. */
function sessionIdOf(agent: TestAgent): string {
  const jar = (agent as unknown as { jar: { getCookie(n: string, o: object): { value: string } } }).jar;
  const signed = decodeURIComponent(
    jar.getCookie('connect.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false }).value,
  );
  return signed.slice(2, signed.lastIndexOf('.')); // s:<sid>.<signature>
}

describe.each(MATRIX)('assurance levels on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  const boot = async (policy: PolicyDocument, extra: object = {}) =>
    (t = await startTestApp(backend, adapter, { ...PASSKEY_OPTIONS, policy, ...extra }));
  afterEach(() => t.close());

  const contextOf = (agent: TestAgent) =>
    t.engine.authenticationContext({ userId: 'u-alice', sessionId: sessionIdOf(agent) }, ['pwd']);

  /** A new sign-in that answers the /profile/security challenge with a passkey of `key`. */
  async function passkeySession(key: SoftAuthenticator): Promise<TestAgent> {
    const session = await signIn(t);
    expect((await verifyWithPasskey(session, await challengeFor(session), key)).status).toBe(200);
    return session;
  }

  it('records a TOTP verification as AAL2 with amr otp', async () => {
    await boot(paymentsRequire('any'));
    const { secret } = await signInEnrolled(t);
    const session = await signIn(t);
    const id = await challengeFor(session);
    await session
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);

    const context = await contextOf(session);
    expect(context).toMatchObject({ acr: 'aal2', factors: [{ factor: 'totp', aal: 2 }] });
    expect(context.amr).toEqual(['pwd', 'otp', 'mfa']);
  });

  it.each([
    ['a device-bound passkey as AAL3 (hwk)', DEVICE_BOUND, 3, ['hwk', 'user', 'pin']],
    ['a synced passkey as AAL2 (swk)', SYNCED, 2, ['swk', 'user', 'pin']],
  ])('records %s, and keeps it with the session row', async (_case, options, aal, amr) => {
    await boot(paymentsRequire('any'));
    const key = new SoftAuthenticator(options);
    await enrollPasskey(await signIn(t), key);
    const session = await passkeySession(key);

    const context = await contextOf(session);
    expect(context).toMatchObject({ acr: `aal${aal}`, factors: [{ factor: 'webauthn', aal }] });
    expect(context.amr).toEqual(['pwd', ...amr, 'mfa']);

    const row = await t.store.dataSource
      .getRepository(MfaSessionFactorEntity)
      .findOneByOrFail({ sessionRef: sessionRefOf(sessionIdOf(session)), factor: 'webauthn' });
    expect(JSON.parse(row.assurance!)).toEqual({ aal, amr, multiFactor: true });
  });

  it('asks for AAL3 by name and takes only a device-bound passkey for it', async () => {
    await boot(paymentsRequire({ any: true, minAal: 3 }));
    const enrolling = await signIn(t);
    const bound = new SoftAuthenticator(DEVICE_BOUND);
    const synced = new SoftAuthenticator(SYNCED);
    const boundKey = await enrollPasskey(enrolling, bound, { label: 'Security key' });
    await enrollPasskey(enrolling, synced, { label: 'Phone' });
    const totp = await enrolling.post('/mfa/totp/enrollments').send({}).expect(201);
    await enrolling
      .post(`/mfa/totp/enrollments/${totp.body.enrollmentId}/confirm`)
      .send({ code: totpAt(totp.body.secret, t.clock) })
      .expect(200);
    t.clock.advance(30);

    const session = await signIn(t);
    const refused = await session.get('/payments').expect(401);
    expect(refused.body.challenge.requirement.steps[0]).toMatchObject({ any: true, minAal: 3 });
    expect(refused.headers['www-authenticate']).toContain('acr_values="aal3"');
    // Neither TOTP, backup codes nor the synced passkey is offered.
    expect(refused.body.challenge.methods).toEqual([
      {
        type: 'webauthn',
        enrollments: [expect.objectContaining({ id: boundKey.enrollmentId, label: 'Security key' })],
      },
    ]);
    const id = refused.body.challenge.id;

    const byTotp = await session
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(totp.body.secret, t.clock) });
    expect([byTotp.status, byTotp.body.code]).toEqual([401, 'INVALID_CODE']);

    // The request options allow the device-bound credential only; the synced one signs anyway, as a forged client would.
    const options = (await session.post(`/mfa/challenges/${id}/webauthn`).send({}).expect(200)).body.options;
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([boundKey.credentialId]);
    const response = synced.assert({ ...options, allowCredentials: [] }, PASSKEY_ORIGIN);
    const bySynced = await session.post(`/mfa/challenges/${id}/verify`).send({ method: 'webauthn', response });
    expect([bySynced.status, bySynced.body.code]).toEqual([401, 'INVALID_CODE']);
    expect(t.audit.ofType('webauthn.assertion_refused').at(-1)).toMatchObject({
      reason: 'credential not among this user’s passkeys',
    });
    await session.get('/payments').expect(401);

    expect((await verifyWithPasskey(session, id, bound)).status).toBe(200);
    await session.get('/payments').expect(200);
    expect((await contextOf(session)).acr).toBe('aal3');
  });

  it('does not count an email code (AAL1) towards minAal 2, nor offer it', async () => {
    await boot(paymentsRequire({ any: true, minAal: 2 }), deliveryOptions(servers.gateway, servers.inbox));
    const agent = await signIn(t);
    const start = await agent.post('/mfa/email/enrollments').send({ email: 'alice.aal@example.com' }).expect(201);
    await agent
      .post(`/mfa/email/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: await servers.inbox.lastCode('alice.aal@example.com', 1) })
      .expect(200);
    expect(await contextOf(agent)).toMatchObject({ acr: 'aal1', factors: [{ factor: 'email', aal: 1 }] });

    // Verified by email in this very session, yet with nothing else bound the user must enroll a stronger factor.
    const refused = await agent.get('/payments').expect(403);
    expect(refused.body.code).toBe('MFA_ENROLLMENT_REQUIRED');
    const enrollable = refused.body.enroll.map((e: { method: string }) => e.method);
    expect(enrollable).toEqual(expect.arrayContaining(['totp', 'webauthn']));
    expect(enrollable).not.toContain('email');

    const totp = await agent.post('/mfa/totp/enrollments').send({}).expect(201);
    await agent
      .post(`/mfa/totp/enrollments/${totp.body.enrollmentId}/confirm`)
      .send({ code: totpAt(totp.body.secret, t.clock) })
      .expect(200);
    const session = await signIn(t);
    const challenged = await session.get('/payments').expect(401);
    expect(challenged.headers['www-authenticate']).toContain('acr_values="aal2"');
    expect(challenged.body.challenge.methods.map((m: { type: string }) => m.type)).toEqual(['totp', 'backup_code']);
    const send = await session.post(`/mfa/challenges/${challenged.body.challenge.id}/send`).send({ method: 'email' });
    expect([send.status, send.body.code]).toEqual([404, 'CHALLENGE_NOT_FOUND']);
    // Only the binding's code ever went out (the "factor added" notice for TOTP is not a code).
    await t.engine.notificationsSettled();
    const codes = servers.inbox.to('alice.aal@example.com').filter((m) => m.subject?.includes('verification code'));
    expect(codes).toHaveLength(1);
  });

  const CHAIN: RequirementSpec = { chain: [{ factor: 'webauthn' }, { factor: 'totp' }] };
  it.each([
    ['off (the default), a passkey with user verification leaves the totp step owed', 401, undefined, true],
    ['on, a passkey with user verification meets both steps', 200, { passkeyAsTwoFactors: true }, true],
    ['on, a passkey without user verification leaves the totp step owed', 401, { passkeyAsTwoFactors: true }, false],
  ] as const)('chain webauthn > totp, passkeyAsTwoFactors %s (%d)', async (_c, status, methods, uv) => {
    await boot(paymentsRequire(CHAIN, methods));
    const { agent } = await signInEnrolled(t);
    const key = new SoftAuthenticator({ userVerification: uv });
    await enrollPasskey(agent, key);

    const session = await signIn(t);
    const first = await session.get('/payments').expect(401);
    expect(first.body.challenge.requirement.steps).toEqual([{ factors: ['webauthn'] }, { factors: ['totp'] }]);
    expect((await verifyWithPasskey(session, first.body.challenge.id, key)).status).toBe(200);

    const after = await session.get('/payments').expect(status);
    if (status === 401) expect(after.body.challenge.requirement.steps).toEqual([{ factors: ['totp'] }]);
    expect((await contextOf(session)).amr.includes('pin')).toBe(uv);
  });
});
