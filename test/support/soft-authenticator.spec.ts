// Proves the soft authenticator's bytes are genuine: @simplewebauthn/server verifies them with no mocks in between.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { SoftAuthenticator, type SoftAlg } from './soft-authenticator';

const ORIGIN = 'http://localhost:3000';
const RP_ID = 'localhost';

async function registerWith(authenticator: SoftAuthenticator) {
  const options = await generateRegistrationOptions({
    rpName: 'Test',
    rpID: RP_ID,
    userName: 'alice',
    attestationType: 'none',
  });
  const response = authenticator.register(options, ORIGIN);
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  });
  if (!result.verified) throw new Error('registration did not verify');
  const { credential } = result.registrationInfo;
  const stored: WebAuthnCredential = {
    id: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
  };
  return { options, response, result, stored };
}

async function verifyAssertion(
  stored: WebAuthnCredential,
  sign: (options: any) => AuthenticationResponseJSON,
  origin = ORIGIN,
) {
  const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [{ id: stored.id }] });
  return verifyAuthenticationResponse({
    response: sign(options),
    expectedChallenge: options.challenge,
    expectedOrigin: origin,
    expectedRPID: RP_ID,
    credential: stored,
  });
}

describe('SoftAuthenticator against @simplewebauthn/server', () => {
  const algs: SoftAlg[] = ['ES256', 'RS256', 'EdDSA'];
  const cases = algs.flatMap((alg) => (['none', 'packed'] as const).map((attestation) => ({ alg, attestation })));

  describe.each(cases)('$alg with $attestation attestation', ({ alg, attestation }) => {
    it.each(['increment', 'zero'] as const)('registers and asserts (counter %s)', async (counter) => {
      const authenticator = new SoftAuthenticator({ alg, attestation, counter });
      const { options, response, result, stored } = await registerWith(authenticator);

      expect(result.registrationInfo.fmt).toBe(attestation);
      expect(result.registrationInfo.credential.id).toBe(response.id);
      expect(result.registrationInfo.credential.counter).toBe(0);
      expect(result.registrationInfo.userVerified).toBe(true);
      expect(result.registrationInfo.credentialDeviceType).toBe('singleDevice');
      expect(authenticator.credentialIds).toEqual([response.id]);

      const auth = await verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN));
      expect(auth.verified).toBe(true);
      expect(auth.authenticationInfo.newCounter).toBe(counter === 'increment' ? 1 : 0);

      let userHandle: string | undefined;
      await verifyAssertion(stored, (o) => {
        const assertion = authenticator.assert(o, ORIGIN);
        userHandle = assertion.response.userHandle;
        return assertion;
      });
      expect(userHandle).toBe(options.user.id);
    });
  });

  it('reports the backup flags (BE/BS) the server reads as a synced passkey', async () => {
    const { result } = await registerWith(new SoftAuthenticator({ backupEligible: true, backedUp: true }));
    expect(result.registrationInfo.credentialDeviceType).toBe('multiDevice');
    expect(result.registrationInfo.credentialBackedUp).toBe(true);
  });

  it('carries the aaguid into the attested credential data', async () => {
    const aaguid = 'adce0002-35bc-c60a-648b-0b25f1f05503';
    const { result } = await registerWith(new SoftAuthenticator({ aaguid }));
    expect(result.registrationInfo.aaguid).toBe(aaguid);
  });

  it('is rejected when the page origin is wrong', async () => {
    const authenticator = new SoftAuthenticator();
    const { stored } = await registerWith(authenticator);
    await expect(
      verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN, { origin: 'https://evil.example' })),
    ).rejects.toThrow(/origin/);
  });

  it('is rejected when the rpIdHash belongs to another rp', async () => {
    const authenticator = new SoftAuthenticator();
    const { stored } = await registerWith(authenticator);
    await expect(
      verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN, { rpId: 'evil.example' })),
    ).rejects.toThrow(/RP ID/i);
  });

  it('is rejected without user presence', async () => {
    const authenticator = new SoftAuthenticator();
    const { stored } = await registerWith(authenticator);
    await expect(
      verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN, { userPresent: false })),
    ).rejects.toThrow(/present/i);
  });

  it.each(['ES256', 'RS256', 'EdDSA'] as SoftAlg[])('does not verify a tampered %s signature', async (alg) => {
    const authenticator = new SoftAuthenticator({ alg });
    const { stored } = await registerWith(authenticator);
    // v14 reports a bad signature as verified: false (every other check passed), rather than throwing.
    const outcome = await verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN, { tamperSignature: true }));
    expect(outcome.verified).toBe(false);
  });

  it('keeps a forced counter as its new counter', async () => {
    const authenticator = new SoftAuthenticator();
    const { stored } = await registerWith(authenticator);
    const forced = await verifyAssertion(stored, (o) => authenticator.assert(o, ORIGIN, { counter: 41 }));
    expect(forced.authenticationInfo.newCounter).toBe(41);
    const next = await verifyAssertion({ ...stored, counter: 41 }, (o) => authenticator.assert(o, ORIGIN));
    expect(next.authenticationInfo.newCounter).toBe(42);
  });

  it('makes clones that replay the same counter sequence, which the server catches', async () => {
    const original = new SoftAuthenticator();
    const { stored } = await registerWith(original);
    await verifyAssertion(stored, (o) => original.assert(o, ORIGIN));
    const twin = original.clone();
    expect(twin.credentialIds).toEqual(original.credentialIds);

    const fromOriginal = await verifyAssertion({ ...stored, counter: 1 }, (o) => original.assert(o, ORIGIN));
    expect(fromOriginal.authenticationInfo.newCounter).toBe(2);
    // The twin signs with the same key and reaches 2 as well: valid on its own, a replayed counter to the server.
    const fromTwinAlone = await verifyAssertion({ ...stored, counter: 1 }, (o) => twin.assert(o, ORIGIN));
    expect(fromTwinAlone.authenticationInfo.newCounter).toBe(2);
    await expect(verifyAssertion({ ...stored, counter: 2 }, (o) => twin.assert(o, ORIGIN))).resolves.toMatchObject({
      authenticationInfo: { newCounter: 3 },
    });
    await expect(verifyAssertion({ ...stored, counter: 3 }, (o) => original.assert(o, ORIGIN))).rejects.toThrow(
      /counter/i,
    );
  });

  it('refuses to register again when the server excludes a credential it holds', async () => {
    const authenticator = new SoftAuthenticator();
    const { response } = await registerWith(authenticator);
    const options = await generateRegistrationOptions({
      rpName: 'Test',
      rpID: RP_ID,
      userName: 'alice',
      excludeCredentials: [{ id: response.id }],
    });
    expect(() => authenticator.register(options, ORIGIN)).toThrow(
      expect.objectContaining({ name: 'InvalidStateError' }),
    );
  });

  it('has no credential to offer another rp', async () => {
    const authenticator = new SoftAuthenticator();
    await registerWith(authenticator);
    const options = await generateAuthenticationOptions({ rpID: 'other.example' });
    expect(() => authenticator.assert(options, 'https://other.example')).toThrow(
      expect.objectContaining({ name: 'NotAllowedError' }),
    );
  });
});
