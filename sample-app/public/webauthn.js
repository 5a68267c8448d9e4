// Passkeys through @simplewebauthn/browser's ESM build, which the sample serves next to the
// client. The client would import the library by its bare name, which a browser resolves only
// through an import map, and an inline one would break the pages' no-inline-script CSP: so
// the pages hand the client the library's two calls instead, loaded on the first passkey prompt.
import { MfaChallengeCancelledError } from './client/src/client.js';

const library = () => import('./vendor/simplewebauthn/index.js');

/** `webauthn` for createMfaClient. */
export const passkeyCeremonies = {
  startRegistration: async (options) => (await library()).startRegistration(options),
  startAuthentication: async (options) => (await library()).startAuthentication(options),
};

/**
 * The browser's refusals, in words: the client turns a dismissed prompt into a cancellation
 * that keeps the browser's error as `cause`; the library names the rest with a `code`.
 */
export function describePasskeyError(err) {
  if (err instanceof MfaChallengeCancelledError && err.cause) return 'The passkey request was cancelled or timed out.';
  switch (err?.code) {
    case 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED':
      return 'This authenticator already holds a passkey for your account.';
    case 'ERROR_INVALID_DOMAIN':
    case 'ERROR_INVALID_RP_ID':
      return 'Passkeys need this page on its configured address (HTTPS or localhost).';
    default:
      return null;
  }
}
