import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '../../core/src';
import { MfaChallengeCancelledError } from './client.errors.js';
import type { WebAuthnCeremonies } from './client.options.js';
import type { ChallengeView } from './client.types.js';

let library: Promise<WebAuthnCeremonies> | undefined;

/** Imported on the first passkey prompt, so a page that never shows one never downloads it. */
function browserLibrary(): Promise<WebAuthnCeremonies> {
  library ??= import('@simplewebauthn/browser').then(
    (lib): WebAuthnCeremonies => lib,
    (err: unknown) => {
      library = undefined;
      throw new Error(
        'nestjs-mfa/client: passkeys need @simplewebauthn/browser, which could not be loaded; ' +
          'install it, or pass webauthn: { startRegistration, startAuthentication } to createMfaClient',
        { cause: err },
      );
    },
  );
  return library;
}

/** The browser's passkey prompts, through @simplewebauthn/browser unless the options replace them. */
export class PasskeyCeremonies {
  constructor(private readonly overrides: Partial<WebAuthnCeremonies>) {}

  async register(optionsJSON: PublicKeyCredentialCreationOptionsJSON): Promise<RegistrationResponseJSON> {
    const start = this.overrides.startRegistration ?? (await browserLibrary()).startRegistration;
    return declinable(() => start({ optionsJSON }));
  }

  async authenticate(
    optionsJSON: PublicKeyCredentialRequestOptionsJSON,
    challenge?: ChallengeView,
  ): Promise<AuthenticationResponseJSON> {
    const start = this.overrides.startAuthentication ?? (await browserLibrary()).startAuthentication;
    return declinable(() => start({ optionsJSON }), challenge);
  }
}

/**
 * A dismissed prompt is the user saying no: browsers report it (and, on purpose, "no
 * matching passkey" too) as NotAllowedError, and an aborted one as AbortError.
 */
async function declinable<T>(run: () => Promise<T>, challenge?: ChallengeView): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const name = err && typeof err === 'object' ? (err as { name?: unknown }).name : undefined;
    if (name === 'NotAllowedError' || name === 'AbortError')
      throw new MfaChallengeCancelledError(challenge, { cause: err });
    throw err;
  }
}
