// Invariant: a passkey is registered through the same enrollment model as every factor — no step-up
// for a first factor, a fresh one for any other — under a user handle that names no one, with any
// common algorithm, only while its creation challenge lives, and only where passkeys are configured.
import type TestAgent from 'supertest/lib/agent';
import { enrollPasskey, PASSKEY_OPTIONS, PASSKEY_ORIGIN, verifyWithPasskey } from '../support/passkeys';
import { SoftAlg, SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';

describe.each(MATRIX)('passkey enrollment on %s', (_name, backend, adapter) => {
  let t: TestApp | undefined;
  const start = async (passkeys = true) => (t = await startTestApp(backend, adapter, passkeys ? PASSKEY_OPTIONS : {}));
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const labels = async (agent: TestAgent) =>
    (await agent.get('/mfa/enrollments').expect(200)).body.factors.map((f: { label: string }) => f.label);

  it('registers a first passkey without a step-up, and hands out backup codes on that first factor only', async () => {
    const app = await start();
    const agent = await signIn(app, 'bob');
    const first = await enrollPasskey(agent, new SoftAuthenticator());
    expect(first.confirm.body.factor).toMatchObject({ type: 'webauthn', status: 'active' });
    expect(first.confirm.body.backupCodes).toHaveLength(10);
    expect(await app.store.listUnusedBackupCodes('u-bob')).toHaveLength(10);

    // Same session, still fresh from that confirmation: a second passkey brings no new codes.
    const second = await enrollPasskey(agent, new SoftAuthenticator());
    expect(second.confirm.body.backupCodes).toBeUndefined();
    expect(app.audit.ofType('enrollment.confirmed').map((e) => e.channel)).toEqual(['webauthn', 'webauthn']);
  });

  it('asks a user who holds a passkey to use it, not a weaker factor, before adding another', async () => {
    const app = await start();
    const { agent, secret } = await signInEnrolled(app, 'bob');
    const held = new SoftAuthenticator();
    await enrollPasskey(agent, held);

    // A new session verified with TOTP alone: a relayed code must not be enough to add a passkey.
    const session = await signIn(app, 'bob');
    const login = await challengeFor(session);
    await session
      .post(`/mfa/challenges/${login}/verify`)
      .send({ method: 'totp', code: totpAt(secret, app.clock) })
      .expect(200);
    const asked = await session.post('/mfa/webauthn/enrollments').send({}).expect(401);
    expect(asked.body.challenge.requirement.steps[0]).toMatchObject({ factors: ['webauthn'], phishingResistant: true });
    expect((await verifyWithPasskey(session, asked.body.challenge.id, held)).status).toBe(200);
    await enrollPasskey(session, new SoftAuthenticator());
  });

  it('registers ES256, RS256 and EdDSA passkeys, with none and packed attestation, each then verifying', async () => {
    const app = await start();
    const agent = await signIn(app, 'bob');
    const combos = (['ES256', 'RS256', 'EdDSA'] as SoftAlg[]).flatMap((alg) =>
      (['none', 'packed'] as const).map((attestation) => ({ alg, attestation })),
    );
    for (const combo of combos) {
      const authenticator = new SoftAuthenticator(combo);
      const { enrollmentId } = await enrollPasskey(agent, authenticator, {
        label: `${combo.alg}/${combo.attestation}`,
      });
      expect((await app.store.findEnrollment('u-bob', enrollmentId))?.passkey?.attestation).toBe(combo.attestation);

      const fresh = await signIn(app, 'bob');
      const verified = await verifyWithPasskey(fresh, await challengeFor(fresh), authenticator);
      expect([combo, verified.status]).toEqual([combo, 200]);
      await fresh.get('/profile/security').expect(200);
    }
    expect(app.audit.ofType('webauthn.assertion_refused')).toEqual([]);
  });

  it('keeps a label given at start, names an unnamed passkey after a known provider, else Passkey, Passkey 2', async () => {
    const app = await start();
    const agent = await signIn(app, 'bob');
    const enroll = async (authenticator: SoftAuthenticator, label?: string) => {
      await enrollPasskey(agent, authenticator, { label });
      app.clock.advance(1); // the profile lists factors in the order they were added
    };
    await enroll(new SoftAuthenticator(), '  Work laptop ');
    await enroll(new SoftAuthenticator({ aaguid: ICLOUD, backupEligible: true, backedUp: true }));
    await enroll(new SoftAuthenticator());
    await enroll(new SoftAuthenticator());
    expect(await labels(agent)).toEqual(['Work laptop', 'iCloud Keychain', 'Passkey', 'Passkey 2']);
  });

  it('asks a user who has a factor for a fresh verification before a passkey enrollment starts', async () => {
    const app = await start();
    const { agent: enrolled, secret } = await signInEnrolled(app, 'bob');
    // A new sign-in has only the password.
    const other = await signIn(app, 'bob');
    const refused = await other.post('/mfa/webauthn/enrollments').send({}).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    // The session that enrolled TOTP is verified, but not recently enough once the clock moves on.
    app.clock.advance(301);
    const stale = await enrolled.post('/mfa/webauthn/enrollments').send({}).expect(401);
    expect(stale.body.code).toBe('MFA_REQUIRED');
    expect(await app.store.listEnrollments('u-bob')).toHaveLength(1); // nothing pending was created

    await other
      .post(`/mfa/challenges/${refused.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, app.clock) })
      .expect(200);
    await enrollPasskey(other, new SoftAuthenticator(), { label: 'After step-up' });
    expect(await labels(other)).toEqual(['Authenticator app', 'After step-up']);
  });

  it('excludes the user’s passkeys from a new registration, under a stable handle that is not the user id', async () => {
    const app = await start();
    const agent = await signIn(app);
    const options = async () => (await agent.post('/mfa/webauthn/enrollments').send({}).expect(201)).body.options;
    const before = await options();
    const handle: string = before.user.id;
    const decoded = Buffer.from(handle, 'base64url');
    for (const encoded of [
      'u-alice',
      ...(['base64url', 'base64', 'hex'] as const).map((e) => Buffer.from('u-alice').toString(e)),
    ])
      expect(handle).not.toContain(encoded);
    expect(decoded.toString('latin1')).not.toContain('u-alice');
    expect(decoded.length).toBeGreaterThanOrEqual(16);
    expect(before.excludeCredentials).toEqual([]);

    const laptop = new SoftAuthenticator();
    const phone = new SoftAuthenticator();
    const ids = [(await enrollPasskey(agent, laptop)).credentialId, (await enrollPasskey(agent, phone)).credentialId];
    const after = await options();
    expect(after.user.id).toBe(handle);
    expect(after.excludeCredentials.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort());
    // A real authenticator that already holds one of them refuses to make a second credential.
    expect(() => laptop.register(after, PASSKEY_ORIGIN)).toThrow(/excluded credential/);
  });

  it('refuses a registration once its creation challenge has expired, and once the enrollment has', async () => {
    const app = await start();
    const agent = await signIn(app, 'bob');
    const authenticator = new SoftAuthenticator();
    const begin = async () => (await agent.post('/mfa/webauthn/enrollments').send({}).expect(201)).body;

    const late = await begin();
    expect(Date.parse(late.expiresAt) - app.clock.now()).toBe(300_000); // webauthn.timeout
    expect(late.options.timeout).toBe(300_000);
    app.clock.advance(301); // the challenge is gone, the pending enrollment (10 minutes) is not
    const stale = await agent
      .post(`/mfa/webauthn/enrollments/${late.enrollmentId}/confirm`)
      .send({ response: authenticator.register(late.options, PASSKEY_ORIGIN) });
    expect([stale.status, stale.body.code]).toEqual([401, 'INVALID_CODE']);

    const later = await begin();
    app.clock.advance(601); // past enrollmentTtl: the enrollment itself is gone
    const gone = await agent
      .post(`/mfa/webauthn/enrollments/${later.enrollmentId}/confirm`)
      .send({ response: authenticator.register(later.options, PASSKEY_ORIGIN) });
    expect([gone.status, gone.body.code]).toEqual([404, 'ENROLLMENT_NOT_FOUND']);
    expect((await app.store.listEnrollments('u-bob')).filter((e) => e.status === 'active')).toEqual([]);
  });

  it('without webauthn options, refuses passkey enrollment and never offers a passkey at a challenge', async () => {
    const app = await start(false);
    const { agent } = await signInEnrolled(app, 'bob');
    const refused = await agent.post('/mfa/webauthn/enrollments').send({}).expect(400);
    expect(refused.body.code).toBe('FACTOR_UNAVAILABLE');

    const fresh = await signIn(app, 'bob');
    const challenge = (await fresh.get('/profile/security').expect(401)).body.challenge;
    expect(challenge.methods.map((m: { type: string }) => m.type)).toEqual(['totp', 'backup_code']);
    const options = await fresh.post(`/mfa/challenges/${challenge.id}/webauthn`).send({});
    expect([options.status, options.body.code]).toEqual([400, 'FACTOR_UNAVAILABLE']);
  });

  it('answers a malformed confirmation with 400 VALIDATION_FAILED or a refusal, never a 500', async () => {
    const app = await start();
    const agent = await signIn(app, 'bob');
    const { enrollmentId, options } = (await agent.post('/mfa/webauthn/enrollments').send({}).expect(201)).body;
    const confirm = (body: object) => agent.post(`/mfa/webauthn/enrollments/${enrollmentId}/confirm`).send(body);
    for (const response of ['attestation', 42, true, null, [], ['a']]) {
      const res = await confirm({ response });
      expect([response, res.status, res.body.code]).toEqual([response, 400, 'VALIDATION_FAILED']);
    }
    expect((await confirm({})).body.code).toBe('VALIDATION_FAILED');
    // Objects that are no attestation reach the ceremony and fail it like a wrong one.
    for (const response of [{}, { response: 'x' }, { id: 'x', response: { clientDataJSON: 7 } }]) {
      const res = await confirm({ response });
      expect([response, res.status, res.body.code]).toEqual([response, 401, 'INVALID_CODE']);
    }
    // The pending enrollment survives the noise.
    await agent
      .post(`/mfa/webauthn/enrollments/${enrollmentId}/confirm`)
      .send({ response: new SoftAuthenticator().register(options, PASSKEY_ORIGIN) })
      .expect(200);
  });
});

describe('passkey options at boot', () => {
  it.each(['nest', 'express5'] as const)(
    'a bad webauthn config stops %s boot with MfaConfigurationError',
    async (adapter) => {
      const sqlite = MATRIX.find(([, b]) => b.name === 'sqlite')![1];
      const boot = startTestApp(sqlite, adapter, {
        webauthn: { rpId: 'example.com', origins: ['https://evil.test'] },
      });
      await expect(boot).rejects.toMatchObject({ name: 'MfaConfigurationError' });
      await expect(boot).rejects.toThrow(/use rpId 'evil\.test' or a parent domain/);
    },
  );

  it('a policy demanding passkeys where none are configured stops boot, naming the fix', async () => {
    const sqlite = MATRIX.find(([, b]) => b.name === 'sqlite')![1];
    const boot = startTestApp(sqlite, 'nest', {
      policy: { services: { payments: { require: { factor: 'webauthn', phishingResistant: true } } } },
    });
    await expect(boot).rejects.toMatchObject({ name: 'MfaConfigurationError' });
    await expect(boot).rejects.toThrow(/\$\.services\.payments\.require: .*`webauthn` options/);
  });
});
