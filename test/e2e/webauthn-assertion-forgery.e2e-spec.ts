// Invariant: a forged or malformed passkey assertion gets the same answer as a wrong TOTP code,
// is audited with what was wrong, verifies nothing, and counts on the 'webauthn' channel.
import { randomBytes } from 'node:crypto';
import type { Response, Test } from 'supertest';
import TestAgent from 'supertest/lib/agent';
import type { MfaOptions } from '../../libs/setup/src';
import { enrollPasskey, PASSKEY_OPTIONS, PASSKEY_ORIGIN } from '../support/passkeys';
import { AssertOverrides, SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const FAILED = 'assertion failed verification';
const FOREIGN = 'credential not among this user’s passkeys';
const UNISSUED = 'challenge not issued for this challenge, spent or expired';

interface Victim {
  session: TestAgent;
  challengeId: string;
  authenticator: SoftAuthenticator;
  /** Bob's own passkey: a real credential of this RP, just not alice's. */
  stranger: SoftAuthenticator;
}

interface Forgery {
  name: string;
  webauthn?: Partial<NonNullable<MfaOptions['webauthn']>>;
  reason: string;
  forge(v: Victim, options: any): object;
}

const signed =
  (overrides: AssertOverrides) =>
  (v: Victim, options: any): object =>
    v.authenticator.assert(options, PASSKEY_ORIGIN, overrides);

const FORGERIES: Forgery[] = [
  { name: 'signed for another origin', reason: FAILED, forge: signed({ origin: 'https://evil.example' }) },
  { name: 'with another RP ID hash', reason: FAILED, forge: signed({ rpId: 'evil.example' }) },
  { name: 'without the user-present flag', reason: FAILED, forge: signed({ userPresent: false }) },
  {
    name: 'without user verification where it is required',
    webauthn: { userVerification: 'required' },
    reason: FAILED,
    forge: signed({ userVerified: false }),
  },
  {
    name: 'of a registration ceremony (type webauthn.create)',
    reason: FAILED,
    forge: signed({ type: 'webauthn.create' }),
  },
  {
    name: "made with another user's passkey",
    reason: FOREIGN,
    // Bob's authenticator, told any credential will do, signs alice's challenge with bob's key.
    forge: (v, options) => v.stranger.assert({ ...options, allowCredentials: [] }, PASSKEY_ORIGIN),
  },
  {
    name: 'naming an unknown credential ID',
    reason: FOREIGN,
    forge: signed({ credentialId: randomBytes(32).toString('base64url') }),
  },
  { name: 'with a tampered signature', reason: FAILED, forge: signed({ tamperSignature: true }) },
  {
    name: 'with authenticator data cut short',
    reason: FAILED,
    forge: (v, options) => {
      const real = v.authenticator.assert(options, PASSKEY_ORIGIN) as any;
      const cut = Buffer.from(real.response.authenticatorData, 'base64url').subarray(0, 20).toString('base64url');
      return { ...real, response: { ...real.response, authenticatorData: cut } };
    },
  },
  {
    name: 'shaped like an assertion but garbage throughout',
    reason: UNISSUED,
    forge: () => ({
      id: 'AAAA',
      rawId: 'AAAA',
      type: 'public-key',
      response: { clientDataJSON: 'bm90IGpzb24', authenticatorData: '!!', signature: '' },
      clientExtensionResults: {},
    }),
  },
];

describe.each(MATRIX)('WebAuthn assertion forgery on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  /** Alice with TOTP and a passkey, bob with a passkey, and a fresh session of alice's facing a challenge. */
  async function setUp(webauthn: Forgery['webauthn'] = {}): Promise<Victim & { secret: string }> {
    t = await startTestApp(backend, adapter, {
      webauthn: { ...PASSKEY_OPTIONS.webauthn!, ...webauthn },
      // Three evaluated failures lock the passkey channel; every other channel keeps the default.
      lockout: { channels: { webauthn: { maxAttempts: 3 } } },
    });
    const { agent, secret } = await signInEnrolled(t);
    const authenticator = new SoftAuthenticator();
    await enrollPasskey(agent, authenticator);
    const stranger = new SoftAuthenticator();
    await enrollPasskey(await signIn(t, 'bob'), stranger);
    const session = await signIn(t);
    return { session, challengeId: await challengeFor(session), authenticator, stranger, secret };
  }
  const options = async (v: Victim) =>
    (await v.session.post(`/mfa/challenges/${v.challengeId}/webauthn`).send({}).expect(200)).body.options;
  const verify = (v: Victim, body: object): Test =>
    v.session.post(`/mfa/challenges/${v.challengeId}/verify`).send(body);
  const answer = (res: Response) => ({ status: res.status, code: res.body.code, message: res.body.message });

  it.each(FORGERIES.map((f) => [f.name, f] as const))(
    'refuses an assertion %s like a wrong TOTP code, audits it and counts it',
    async (_kind, forgery) => {
      const v = await setUp(forgery.webauthn);
      const wrongTotp = answer(await verify(v, { method: 'totp', code: '000000' }));
      expect(wrongTotp).toMatchObject({ status: 401, code: 'INVALID_CODE' });

      for (let i = 1; i <= 3; i++) {
        const response = forgery.forge(v, await options(v));
        expect(answer(await verify(v, { method: 'webauthn', response }))).toEqual(wrongTotp);
        expect(t.audit.ofType('webauthn.assertion_refused').map((e) => e.reason)).toEqual(
          Array(i).fill(forgery.reason),
        );
        await v.session.get('/profile/security').expect(401);
      }
      expect(t.audit.ofType('attempt.failed').map((e) => e.channel)).toEqual([
        'totp',
        'webauthn',
        'webauthn',
        'webauthn',
      ]);

      // The three forgeries locked the passkey channel: even a genuine assertion is now refused...
      const genuine = v.authenticator.assert(await options(v), PASSKEY_ORIGIN);
      const locked = await verify(v, { method: 'webauthn', response: genuine }).expect(429);
      expect(locked.body.code).toBe('MFA_LOCKED');
      expect(t.audit.ofType('lockout').map((e) => e.channel)).toEqual(['webauthn']);
      // ...while TOTP, counted apart, still answers the same challenge.
      await verify(v, { method: 'totp', code: totpAt(v.secret, t.clock) }).expect(200);
      await v.session.get('/profile/security').expect(200);
    },
  );

  it('refuses a response that is not an object as malformed, and counts it on the passkey channel', async () => {
    const v = await setUp();
    for (const response of ['assertion', ['assertion'], 42]) {
      const res = await verify(v, { method: 'webauthn', response }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    await v.session.get('/profile/security').expect(401);
    expect(t.audit.ofType('attempt.failed').map((e) => [e.channel, e.reason])).toEqual(
      Array(3).fill(['webauthn', 'malformed body']),
    );
    const genuine = v.authenticator.assert(await options(v), PASSKEY_ORIGIN);
    expect((await verify(v, { method: 'webauthn', response: genuine }).expect(429)).body.code).toBe('MFA_LOCKED');
  });

  it('accepts the genuine assertion in the same setting, so the refusals above are the forgeries', async () => {
    const v = await setUp({ userVerification: 'required' });
    await verify(v, { method: 'webauthn', response: v.authenticator.assert(await options(v), PASSKEY_ORIGIN) }).expect(
      200,
    );
    await v.session.get('/profile/security').expect(200);
    expect(t.audit.ofType('webauthn.assertion_refused')).toHaveLength(0);
  });
});
