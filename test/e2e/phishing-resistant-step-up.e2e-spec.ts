// Invariant: a step marked phishingResistant is met by a WebAuthn verification only (nothing a phishing
// page can relay), within its maxAge or as a single-use grant; a policy or route cannot ask it of another factor.
import { StepUp } from '../../libs/nest/src';
import { buildRequirement, MfaConfigurationError, PolicyDocument, validatePolicy } from '../../libs/core/src';
import { enrollPasskey, PASSKEY_OPTIONS, verifyWithPasskey } from '../support/passkeys';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

/** "A passkey within 5 minutes for payments/transfer"; `maxAge: 0` makes it one passkey per transfer. */
const passkeyForTransfer = (maxAge: number): PolicyDocument => ({
  services: {
    payments: { operations: { transfer: { require: { factor: 'webauthn', phishingResistant: true, maxAge } } } },
  },
});

describe.each(MATRIX)('phishing-resistant step-up on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const boot = async (policy?: PolicyDocument) =>
    (t = await startTestApp(backend, adapter, { ...PASSKEY_OPTIONS, ...(policy && { policy }) }));
  afterEach(() => t.close());

  /** Alice with TOTP and a passkey, then a new sign-in whose session verified TOTP only. */
  async function totpSessionOfUserWithPasskey() {
    const { agent, secret } = await signInEnrolled(t);
    const key = new SoftAuthenticator();
    const passkey = await enrollPasskey(agent, key);
    const session = await signIn(t);
    const id = await challengeFor(session);
    await session
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    t.clock.advance(30); // the next TOTP code is a fresh one
    return { session, secret, key, passkey };
  }

  it('asks a TOTP-verified session for a passkey within 5 minutes, and refuses TOTP on that challenge', async () => {
    await boot(passkeyForTransfer(300));
    const { session, secret, key, passkey } = await totpSessionOfUserWithPasskey();

    const refused = await session.post('/payments/transfer').expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    expect(refused.body.challenge.requirement.steps[0]).toEqual({
      factors: ['webauthn'],
      maxAge: 300,
      phishingResistant: true,
    });
    // Only the passkey is offered: not TOTP, not the backup codes the user holds.
    expect(refused.body.challenge.methods).toEqual([
      { type: 'webauthn', enrollments: [expect.objectContaining({ id: passkey.enrollmentId })] },
    ]);
    expect(refused.headers['www-authenticate']).toContain('max_age=300');
    expect(refused.headers['www-authenticate']).toContain('acr_values="phr"');

    // A valid, unused TOTP code is still the wrong kind of proof for this challenge.
    const id = refused.body.challenge.id;
    const totp = await session
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) });
    expect(totp.status).toBe(401);
    expect(totp.body.code).toBe('INVALID_CODE');
    await session.post('/payments/transfer').expect(401);

    expect((await verifyWithPasskey(session, id, key)).status).toBe(200);
    await session.post('/payments/transfer').expect(200);

    t.clock.advance(301);
    const stale = await session.post('/payments/transfer').expect(401);
    expect(stale.body.challenge.requirement.steps[0]).toMatchObject({ phishingResistant: true, maxAge: 300 });
  });

  it('spends a single-use passkey grant on one transfer: each transfer needs its own passkey', async () => {
    await boot(passkeyForTransfer(0));
    const agent = await signIn(t);
    const key = new SoftAuthenticator();
    await enrollPasskey(agent, key);

    // The registration just verified a passkey in this session, but a grant is earned at a challenge only.
    const first = await agent.post('/payments/transfer').expect(401);
    expect(first.body.challenge.requirement.steps[0]).toEqual({
      factors: ['webauthn'],
      maxAge: 0,
      phishingResistant: true,
    });
    expect((await verifyWithPasskey(agent, first.body.challenge.id, key)).status).toBe(200);
    await agent.post('/payments/transfer').expect(200);

    const second = await agent.post('/payments/transfer').expect(401);
    expect(second.body.challenge.id).not.toBe(first.body.challenge.id);
    expect((await verifyWithPasskey(agent, second.body.challenge.id, key)).status).toBe(200);
    await agent.post('/payments/transfer').expect(200);
    await agent.post('/payments/transfer').expect(401);

    const grants = t.audit.ofType('challenge.verified').filter((e) => e.channel === 'webauthn');
    expect(grants.map((e) => e.reason)).toEqual([
      'single-use grant for payments/transfer',
      'single-use grant for payments/transfer',
    ]);
  });

  it('does the same from a route decorator: @StepUp / stepUp({ maxAge: 300, phishingResistant: true })', async () => {
    await boot(); // the fixture policy: payments only needs some factor, the route asks for more
    const { session, secret, key } = await totpSessionOfUserWithPasskey();
    await session.get('/payments').expect(200);

    const refused = await session.get('/payments/wire').expect(401);
    expect(refused.body.challenge).toMatchObject({
      ruleId: 'route',
      requirement: { steps: [{ maxAge: 300, phishingResistant: true }] },
    });
    expect(refused.body.challenge.methods.map((m: { type: string }) => m.type)).toEqual(['webauthn']);
    expect(refused.headers['www-authenticate']).toContain('acr_values="phr"');
    const id = refused.body.challenge.id;
    const totp = await session
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) });
    expect(totp.body.code).toBe('INVALID_CODE');

    expect((await verifyWithPasskey(session, id, key)).status).toBe(200);
    expect((await session.get('/payments/wire').expect(200)).body).toEqual({ wire: 'ready' });
    t.clock.advance(301);
    await session.get('/payments/wire').expect(401);
  });

  it('refuses a policy or a route that asks a phishing-resistant step of TOTP', async () => {
    await boot();
    const document: PolicyDocument = {
      services: { payments: { operations: { transfer: { require: { factor: 'totp', phishingResistant: true } } } } },
    };
    const problem = {
      path: '$.services.payments.operations.transfer.require',
      message: 'only a passkey meets phishingResistant: add "webauthn"',
    };
    expect(validatePolicy(document)).toEqual([problem]);

    // Through the admin API too: nothing is stored, the answer names the path.
    const { agent: admin } = await signInEnrolled(t);
    const posted = await admin.post('/mfa/admin/policy/versions').send({ document }).expect(400);
    expect(posted.body).toMatchObject({ code: 'POLICY_INVALID', errors: [problem] });
    const { versions } = (await admin.get('/mfa/admin/policy/versions').expect(200)).body;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([1]);

    // Explain takes the same requirement an admin may ask about: refused as a 400, never a 500.
    const explain = (requirement: object) =>
      admin.post('/mfa/admin/policy/explain').send({ userId: 'u-bob', target: { requirement } });
    const refused = await explain({ factors: ['totp'], phishingResistant: true }).expect(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    const explained = await explain({ factors: ['webauthn'], phishingResistant: true, maxAge: 300 }).expect(200);
    expect(explained.body.outcome).toBe('challenge');

    expect(() => buildRequirement({ factors: ['totp'], phishingResistant: true })).toThrow(MfaConfigurationError);
    expect(() => StepUp({ maxAge: 300, factors: ['totp'], phishingResistant: true })).toThrow(MfaConfigurationError);
    expect(buildRequirement({ factors: ['totp', 'webauthn'], phishingResistant: true }).steps).toEqual([
      { factors: ['totp', 'webauthn'], phishingResistant: true },
    ]);
  });

  it('tells a user without a passkey to register one (403); the new passkey, once used, lets them through', async () => {
    await boot(passkeyForTransfer(300));
    const { agent } = await signInEnrolled(t, 'bob');

    const refused = await agent.post('/payments/transfer').expect(403);
    expect(refused.body).toMatchObject({
      code: 'MFA_ENROLLMENT_REQUIRED',
      reason: 'no_factor',
      enroll: [{ method: 'webauthn', verb: 'POST', href: '/mfa/webauthn/enrollments' }],
    });
    expect(t.audit.ofType('enrollment.required')).toHaveLength(1);

    // Registering it on the strength of TOTP does not make this session phishing-resistant: that
    // would lend the weaker factor the stronger one's standing. Using the passkey does.
    const authenticator = new SoftAuthenticator();
    await enrollPasskey(agent, authenticator);
    const asked = await agent.post('/payments/transfer').expect(401);
    expect(asked.body.challenge.requirement.steps[0]).toMatchObject({ phishingResistant: true });
    expect((await verifyWithPasskey(agent, asked.body.challenge.id, authenticator)).status).toBe(200);
    await agent.post('/payments/transfer').expect(200);
  });
});
