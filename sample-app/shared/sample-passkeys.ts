import type { WebAuthnOptions } from '../../src';

/**
 * Passkeys for the sample: on localhost by default (browsers allow WebAuthn over plain HTTP
 * there only). Behind a real host name set MFA_RP_ID and MFA_ORIGINS (comma-separated).
 */
export function samplePasskeys(port: number, env = process.env): WebAuthnOptions {
  return {
    rpId: env.MFA_RP_ID ?? 'localhost',
    origins: env.MFA_ORIGINS ? env.MFA_ORIGINS.split(',').map((o) => o.trim()) : [`http://localhost:${port}`],
  };
}
