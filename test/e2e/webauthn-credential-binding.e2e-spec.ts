// Invariant: a passkey credential belongs to one user — its ID is registered at most once, a stored
// credential moved to another user's row does not open there, and where attestation is required only
// the listed authenticator models register.
import type TestAgent from 'supertest/lib/agent';
import { MfaConfigurationError } from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { SqlRunner } from '../../libs/typeorm/src/sql-runner';
import { enrollPasskey, PASSKEY_OPTIONS, PASSKEY_ORIGIN, verifyWithPasskey } from '../support/passkeys';
import { SoftAuthenticator, SoftAuthenticatorOptions } from '../support/soft-authenticator';
import { challengeFor, MATRIX, signIn, startTestApp, TestApp } from '../support/test-app';

const LISTED = '2fc0579f-8113-47ea-b116-bb5a8db9202a';
const UNLISTED = 'ee882879-721c-4913-9775-3dfcce97072a';
const ATTESTED = {
  webauthn: { ...PASSKEY_OPTIONS.webauthn!, attestation: 'direct' as const, allowedAaguids: [LISTED] },
};

describe.each(MATRIX)('passkey credential binding on %s', (_name, backend, adapter) => {
  let t: TestApp | undefined;
  const start = async (extra = PASSKEY_OPTIONS) =>
    (t = await startTestApp(backend, adapter, { ...extra, lockout: { maxAttempts: 100 } }));
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const sql = (app: TestApp) => new SqlRunner(app.store.dataSource);
  const passkeysOf = async (agent: TestAgent): Promise<unknown[]> =>
    (await agent.get('/mfa/enrollments').expect(200)).body.factors.filter(
      (f: { type: string }) => f.type === 'webauthn',
    );

  /** A new sign-in answering its challenge with this authenticator; the status and code it gets. */
  async function verify(app: TestApp, username: string, authenticator: SoftAuthenticator) {
    const agent = await signIn(app, username);
    const res = await verifyWithPasskey(agent, await challengeFor(agent), authenticator);
    return { status: res.status, code: res.body.code as string | undefined };
  }

  /**
   * As an attacker's own client would: it ignores allowCredentials and signs with whatever it holds.
   * The server lists only the passkeys that open for this user, so an honest browser would not even try.
   */
  async function verifyIgnoringAllowList(app: TestApp, username: string, authenticator: SoftAuthenticator) {
    const agent = await signIn(app, username);
    const challengeId = await challengeFor(agent);
    const { body } = await agent.post(`/mfa/challenges/${challengeId}/webauthn`).send({}).expect(200);
    const response = authenticator.assert({ ...body.options, allowCredentials: [] }, PASSKEY_ORIGIN);
    const res = await agent.post(`/mfa/challenges/${challengeId}/verify`).send({ method: 'webauthn', response });
    return { status: res.status, code: res.body.code as string | undefined };
  }

  describe('a credential ID is registered to at most one user', () => {
    it("refuses bob's registration claiming alice's credential ID under his own key; alice's passkey still works", async () => {
      const app = await start();
      const alicesKey = new SoftAuthenticator();
      const alice = await enrollPasskey(await signIn(app, 'alice'), alicesKey);

      const bob = await signIn(app, 'bob');
      // Bob's own key pair, 'none' attestation and a genuine signature over his own challenge: only the ID is alice's.
      const forged = await enrollPasskey(bob, new SoftAuthenticator(), {
        overrides: { credentialId: alice.credentialId },
        expectStatus: 401,
      });
      expect(forged.credentialId).toBe(alice.credentialId);
      expect(forged.confirm.body.code).toBe('INVALID_CODE');
      expect(app.audit.ofType('webauthn.credential_taken')).toEqual([
        expect.objectContaining({ userId: 'u-bob', enrollmentId: forged.enrollmentId, severity: 'high' }),
      ]);
      expect(await passkeysOf(bob)).toEqual([]);
      const rows = await sql(app).select<{ user_id: string }>(
        "SELECT user_id FROM mfa_enrollments WHERE type = 'webauthn' AND status = 'active'",
        [],
      );
      expect(rows.map((r) => r.user_id)).toEqual(['u-alice']);

      expect(await verify(app, 'alice', alicesKey)).toEqual({ status: 200, code: undefined });
    });

    it('lists a registered passkey in excludeCredentials, and refuses it again for the same user', async () => {
      const app = await start();
      const authenticator = new SoftAuthenticator();
      const agent = await signIn(app, 'alice');
      const first = await enrollPasskey(agent, authenticator);

      const again = await agent.post('/mfa/webauthn/enrollments').send({}).expect(201);
      expect(again.body.options.excludeCredentials).toEqual([expect.objectContaining({ id: first.credentialId })]);
      expect(() => authenticator.register(again.body.options, PASSKEY_ORIGIN)).toThrow(
        expect.objectContaining({ name: 'InvalidStateError' }),
      );

      // A client that ignores the list and replays the ID under a new key gets nowhere either.
      const response = new SoftAuthenticator().register(again.body.options, PASSKEY_ORIGIN, {
        credentialId: first.credentialId,
      });
      const confirm = await agent
        .post(`/mfa/webauthn/enrollments/${again.body.enrollmentId}/confirm`)
        .send({ response })
        .expect(401);
      expect(confirm.body.code).toBe('INVALID_CODE');
      expect(app.audit.ofType('webauthn.credential_taken')).toHaveLength(1);
      expect(await passkeysOf(agent)).toHaveLength(1);
    });
  });

  describe("a credential moved to another user's row does not open there", () => {
    /** Alice with one passkey; bob with a spare one (so he can still be challenged) and the one the test tampers with. */
    async function twoUsers(app: TestApp) {
      const alicesKey = new SoftAuthenticator();
      const alice = await enrollPasskey(await signIn(app, 'alice'), alicesKey);
      const bob = await signIn(app, 'bob');
      const bobsSpare = new SoftAuthenticator();
      await enrollPasskey(bob, bobsSpare);
      const bobsKey = new SoftAuthenticator();
      const target = await enrollPasskey(bob, bobsKey);
      return { alicesKey, alice, bobsSpare, bobsKey, target };
    }

    it("refuses alice's sealed credential copied into bob's row, for alice's key and for bob's own", async () => {
      const app = await start();
      const { alicesKey, alice, bobsSpare, bobsKey, target } = await twoUsers(app);
      const [source] = await sql(app).select<{ sealed_secret: string }>(
        'SELECT sealed_secret FROM mfa_enrollments WHERE id = ?',
        [alice.enrollmentId],
      );
      // Only the envelope moves: bob's credential_key stays, since that column is unique across users.
      const moved = await sql(app).write('UPDATE mfa_enrollments SET sealed_secret = ? WHERE id = ?', [
        source.sealed_secret,
        target.enrollmentId,
      ]);
      expect(moved).toBe(1);

      expect(await verifyIgnoringAllowList(app, 'bob', alicesKey)).toEqual({ status: 401, code: 'INVALID_CODE' });
      expect(await verifyIgnoringAllowList(app, 'bob', bobsKey)).toEqual({ status: 401, code: 'INVALID_CODE' });
      const unreadable = app.audit.ofType('secret.unreadable');
      expect(unreadable.length).toBeGreaterThanOrEqual(2);
      for (const event of unreadable)
        expect(event).toMatchObject({ severity: 'critical', userId: 'u-bob', enrollmentId: target.enrollmentId });

      // Only that row is dead: bob's other passkey and alice's own still work.
      expect(await verify(app, 'bob', bobsSpare)).toEqual({ status: 200, code: undefined });
      expect(await verify(app, 'alice', alicesKey)).toEqual({ status: 200, code: undefined });
    });

    it("refuses alice's whole row handed to bob", async () => {
      const app = await start();
      const { alicesKey, alice, bobsSpare } = await twoUsers(app);
      const moved = await sql(app).write('UPDATE mfa_enrollments SET user_id = ? WHERE id = ?', [
        'u-bob',
        alice.enrollmentId,
      ]);
      expect(moved).toBe(1);

      expect(await verifyIgnoringAllowList(app, 'bob', alicesKey)).toEqual({ status: 401, code: 'INVALID_CODE' });
      expect(app.audit.ofType('secret.unreadable')).toContainEqual(
        expect.objectContaining({ severity: 'critical', userId: 'u-bob', enrollmentId: alice.enrollmentId }),
      );
      expect(await verify(app, 'bob', bobsSpare)).toEqual({ status: 200, code: undefined });
    });
  });

  describe("with attestation 'direct' and an AAGUID list", () => {
    const enroll = async (app: TestApp, options: SoftAuthenticatorOptions, expectStatus: number) =>
      enrollPasskey(await signIn(app, 'bob'), new SoftAuthenticator(options), { expectStatus });

    it('refuses a passkey that brings no attestation statement', async () => {
      const app = await start(ATTESTED);
      const { confirm, enrollmentId } = await enroll(app, { attestation: 'none', aaguid: LISTED }, 401);
      expect(confirm.body.code).toBe('INVALID_CODE');
      expect(app.audit.ofType('webauthn.attestation_refused')).toEqual([
        expect.objectContaining({ userId: 'u-bob', enrollmentId, reason: 'no attestation statement' }),
      ]);
      expect(await passkeysOf(await signIn(app, 'bob'))).toEqual([]);
    });

    it('accepts packed self attestation from a listed model', async () => {
      const app = await start(ATTESTED);
      const { confirm, enrollmentId } = await enroll(app, { attestation: 'packed', aaguid: LISTED }, 200);
      expect(confirm.body.factor).toMatchObject({ type: 'webauthn', status: 'active', passkey: { aaguid: LISTED } });
      expect((await app.store.findEnrollment('u-bob', enrollmentId))?.passkey?.attestation).toBe('packed');
      expect(app.audit.ofType('webauthn.attestation_refused')).toEqual([]);
    });

    it('refuses packed attestation from a model not on the list', async () => {
      const app = await start(ATTESTED);
      const { confirm, enrollmentId } = await enroll(app, { attestation: 'packed', aaguid: UNLISTED }, 401);
      expect(confirm.body.code).toBe('INVALID_CODE');
      expect(app.audit.ofType('webauthn.attestation_refused')).toEqual([
        expect.objectContaining({ enrollmentId, reason: `AAGUID ${UNLISTED} not allowed` }),
      ]);
      expect(await passkeysOf(await signIn(app, 'bob'))).toEqual([]);
    });

    it("stops boot when allowedAaguids comes without attestation 'direct', saying how to fix it", async () => {
      // The app attaches to a store this test owns, so the refused boot leaves no pool open behind it.
      const store = await TypeOrmMfaStore.connect(backend.options);
      try {
        const boot = startTestApp(
          backend,
          adapter,
          { store: undefined, dataSource: store.dataSource, webauthn: { ...ATTESTED.webauthn, attestation: 'none' } },
          { keepSchema: true },
        );
        await expect(boot).rejects.toThrow(MfaConfigurationError);
        await expect(boot).rejects.toThrow(/allowedAaguids needs attestation: 'direct'/);
      } finally {
        await store.close();
      }
    });
  });
});
