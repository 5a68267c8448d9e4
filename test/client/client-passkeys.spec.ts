// Invariant: the client runs both passkey ceremonies through the replaceable
// `webauthn` calls (here a real software authenticator), a passkey answers a
// phishing-resistant step-up, and a dismissed prompt is a cancel, not a failure.
import { MfaChallengeCancelledError, type ChallengeView, type WebAuthnCeremonies } from '../../src/client';
import { PASSKEY_OPTIONS, PASSKEY_ORIGIN } from '../support/passkeys';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { ClientHarness, enrollTotp, startClientHarness } from './client-harness';

/** What @simplewebauthn/browser does in a browser, done by the software authenticator. */
function ceremoniesOf(authenticator: SoftAuthenticator): WebAuthnCeremonies {
  return {
    startRegistration: async ({ optionsJSON }) => authenticator.register(optionsJSON, PASSKEY_ORIGIN),
    startAuthentication: async ({ optionsJSON }) => authenticator.assert(optionsJSON, PASSKEY_ORIGIN),
  };
}

describe('client passkeys', () => {
  let h: ClientHarness;
  let authenticator: SoftAuthenticator;
  beforeEach(async () => {
    h = await startClientHarness('nest', PASSKEY_OPTIONS);
    authenticator = new SoftAuthenticator();
    const mfa = (await h.browser('alice')).client({ webauthn: ceremoniesOf(authenticator) });
    await enrollTotp(h, mfa);
    const registered = await mfa.enrollments.registerPasskey('Laptop');
    expect(registered.factor).toMatchObject({ type: 'webauthn', status: 'active', label: 'Laptop' });
  });
  afterEach(() => h.close());

  it('answers a phishing-resistant step-up with the passkey and retries the request', async () => {
    const browser = await h.browser('alice');
    const onChallenge = jest.fn(async () => ({ method: 'webauthn' as const }));
    const res = await browser.client({ onChallenge, webauthn: ceremoniesOf(authenticator) }).fetch('/payments/wire');

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ wire: 'ready' });
    const [challenge] = onChallenge.mock.calls[0] as unknown as [{ id: string; methods: unknown[] }];
    expect(challenge.methods).toEqual([
      { type: 'webauthn', enrollments: [expect.objectContaining({ label: 'Laptop' })] },
    ]);
    expect(browser.fetch.sent).toEqual([
      'GET /payments/wire',
      `POST /mfa/challenges/${challenge.id}/webauthn`,
      `POST /mfa/challenges/${challenge.id}/verify`,
      'GET /payments/wire',
    ]);
  });

  it('takes an assertion the app obtained itself, through challenges.passkeyOptions', async () => {
    const browser = await h.browser('alice');
    const res = await browser
      .client({
        onChallenge: async (challenge, { client }) => {
          const { options } = await client.challenges.passkeyOptions(challenge.id);
          return { method: 'webauthn', response: authenticator.assert(options, PASSKEY_ORIGIN) };
        },
      })
      .fetch('/payments/wire');
    expect(res.status).toBe(200);
  });

  it('makes a dismissed passkey prompt an MfaChallengeCancelledError, keeping the cause', async () => {
    const stranger = new SoftAuthenticator(); // holds no credential: the browser says NotAllowedError
    const mfa = (await h.browser('alice')).client({
      onChallenge: async () => ({ method: 'webauthn' }),
      webauthn: ceremoniesOf(stranger),
    });
    const cancelled = await mfa.fetch('/payments/wire').catch((e: unknown) => e);

    expect(cancelled).toBeInstanceOf(MfaChallengeCancelledError);
    expect((cancelled as Error).cause).toMatchObject({ name: 'NotAllowedError' });
    expect((cancelled as MfaChallengeCancelledError).challenge?.id).toEqual(expect.any(String));
  });

  it('answers a challenge by hand with challenges.passkey', async () => {
    const browser = await h.browser('alice');
    const mfa = browser.client({ webauthn: ceremoniesOf(authenticator) });
    const refused = await mfa.fetch('/payments/wire');
    const { challenge } = (await refused.json()) as { challenge: ChallengeView };
    const verified = await mfa.challenges.passkey(challenge.id);
    expect(verified).toMatchObject({ verified: true, method: 'webauthn' });
    expect((await mfa.fetch('/payments/wire')).status).toBe(200);
  });
});
