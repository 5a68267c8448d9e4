import type * as SimpleWebAuthn from '@simplewebauthn/server';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { ResolvedWebAuthn } from './webauthn.options';

export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
};

/** EdDSA, ES256, RS256: what the common authenticators make, all checked by @simplewebauthn/server. */
const ALGORITHMS = [-8, -7, -257];

let library: typeof SimpleWebAuthn | undefined;
/** Loaded on the first ceremony, so an app without passkeys never pays for the ASN.1 stack. */
function webauthn(): typeof SimpleWebAuthn {
  library ??= require('@simplewebauthn/server') as typeof SimpleWebAuthn;
  return library;
}

export interface RegisteredCredential {
  id: string;
  publicKey: Uint8Array;
  signCount: number;
  aaguid: string;
  attestation: string;
  backupEligible: boolean;
  backedUp: boolean;
  userVerified: boolean;
}

export interface VerifiedAssertion {
  signCount: number;
  userVerified: boolean;
  backedUp: boolean;
}

/**
 * The one place that speaks WebAuthn, through @simplewebauthn/server: no CBOR or COSE is
 * parsed here. Every verification pins the challenge, the origins and the RP ID; a
 * response that fails any check yields null, never an exception, so all failures look alike.
 */
export class WebAuthnCeremony {
  constructor(readonly config: ResolvedWebAuthn) {}

  creationOptions(input: {
    userHandle: Uint8Array;
    userName: string;
    exclude: { id: string; transports: string[] }[];
  }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const { rpId, rpName, timeoutMs, attestation, userVerification } = this.config;
    return webauthn().generateRegistrationOptions({
      rpName,
      rpID: rpId,
      userName: input.userName,
      userID: input.userHandle as Uint8Array<ArrayBuffer>,
      timeout: timeoutMs,
      attestationType: attestation,
      excludeCredentials: input.exclude as never,
      authenticatorSelection: { residentKey: 'preferred', userVerification },
      supportedAlgorithmIDs: ALGORITHMS,
    });
  }

  requestOptions(allow: { id: string; transports: string[] }[]): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const { rpId, timeoutMs, userVerification } = this.config;
    return webauthn().generateAuthenticationOptions({
      rpID: rpId,
      allowCredentials: allow as never,
      userVerification,
      timeout: timeoutMs,
    });
  }

  async verifyRegistration(
    response: RegistrationResponseJSON,
    challenge: string,
  ): Promise<RegisteredCredential | null> {
    try {
      const result = await webauthn().verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        expectedType: 'webauthn.create',
        requireUserPresence: true,
        requireUserVerification: this.config.userVerification === 'required',
        supportedAlgorithmIDs: ALGORITHMS,
      });
      if (!result.verified) return null;
      const info = result.registrationInfo;
      return {
        id: info.credential.id,
        publicKey: info.credential.publicKey,
        signCount: info.credential.counter,
        aaguid: info.aaguid.toLowerCase(),
        attestation: info.fmt,
        backupEligible: info.credentialDeviceType === 'multiDevice',
        backedUp: info.credentialBackedUp,
        userVerified: info.userVerified,
      };
    } catch {
      return null;
    }
  }

  /**
   * The stored counter is handed to the library as 0: whether a counter that did not rise
   * means a clone is decided by the caller, which must also audit and notify it.
   */
  async verifyAssertion(
    response: AuthenticationResponseJSON,
    challenge: string,
    credential: { id: string; publicKey: Uint8Array },
  ): Promise<VerifiedAssertion | null> {
    try {
      const result = await webauthn().verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.config.origins,
        expectedRPID: this.config.rpId,
        expectedType: 'webauthn.get',
        credential: { id: credential.id, publicKey: credential.publicKey as Uint8Array<ArrayBuffer>, counter: 0 },
        requireUserVerification: this.config.userVerification === 'required',
      });
      if (!result.verified) return null;
      const info = result.authenticationInfo;
      return { signCount: info.newCounter, userVerified: info.userVerified, backedUp: info.credentialBackedUp };
    } catch {
      return null;
    }
  }
}

/**
 * The challenge a response answers, read from its clientDataJSON; null when it is not there,
 * or when the ceremony ran in a cross-origin frame (no top origin is ever expected here, so a
 * framed page — clickjacking — cannot collect a signature).
 */
export function challengeOf(response: { response?: { clientDataJSON?: unknown } }): string | null {
  const encoded = response?.response?.clientDataJSON;
  if (typeof encoded !== 'string' || encoded.length > 8192) return null;
  try {
    const clientData = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as {
      challenge?: unknown;
      crossOrigin?: unknown;
    };
    const { challenge } = clientData ?? {};
    if (clientData?.crossOrigin === true) return null;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 128 ? challenge : null;
  } catch {
    return null;
  }
}
