import { MfaConfigurationError } from '../../errors/mfa-configuration.error';

/** Passkeys (WebAuthn). Without these options the factor is neither enrolled nor offered. */
export interface WebAuthnOptions {
  /** The relying party ID: your site's registrable domain or a parent of it, e.g. 'example.com'. */
  rpId: string;
  /** Shown by the browser and the authenticator. @default the `issuer` */
  rpName?: string;
  /** Every origin a ceremony may come from, e.g. ['https://example.com', 'https://app.example.com']. */
  origins: string[];
  /** Whether the authenticator must verify the user (PIN or biometric). @default 'preferred' */
  userVerification?: 'required' | 'preferred' | 'discouraged';
  /** Seconds a WebAuthn challenge stays usable. @default 300 */
  timeout?: number;
  /**
   * 'none': any authenticator, unattested (the common choice for consumer apps).
   * 'direct': ask for an attestation statement and refuse a passkey that brings none.
   * @default 'none'
   */
  attestation?: 'none' | 'direct';
  /**
   * With `attestation: 'direct'`: only authenticators whose attestation names one of these
   * models (AAGUIDs) may be registered. No FIDO Metadata Service is consulted, so a
   * self-attestation's AAGUID is the authenticator's own claim.
   */
  allowedAaguids?: string[];
  /** Names for AAGUIDs beyond the built-in list, shown in the profile and the admin view. */
  authenticatorNames?: Record<string, string>;
}

export interface ResolvedWebAuthn {
  rpId: string;
  rpName: string;
  origins: string[];
  userVerification: 'required' | 'preferred' | 'discouraged';
  timeoutMs: number;
  attestation: 'none' | 'direct';
  allowedAaguids: string[] | null;
  authenticatorNames: Record<string, string>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checked at boot: a passkey registered under a wrong RP ID or origin could never be used. */
export function resolveWebAuthn(options: WebAuthnOptions | undefined, issuer: string): ResolvedWebAuthn | null {
  if (!options) return null;
  const fail = (message: string) => new MfaConfigurationError(`webauthn: ${message}`);
  const rpId = String(options.rpId ?? '').toLowerCase();
  if (!/^[a-z0-9.-]+$/.test(rpId) || rpId.startsWith('.') || rpId.endsWith('.'))
    throw fail(`rpId must be a host name without scheme or port, e.g. 'example.com' (got '${options.rpId}').`);
  if (!Array.isArray(options.origins) || options.origins.length === 0)
    throw fail(`origins must list where your pages run, e.g. ['https://${rpId}'].`);
  const origins = options.origins.map((origin) => {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw fail(`origins: '${origin}' is not a URL; write it like 'https://${rpId}'.`);
    }
    if (url.origin !== origin.replace(/\/$/, ''))
      throw fail(`origins: write '${url.origin}' (scheme, host and port only), not '${origin}'.`);
    const host = url.hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`))
      throw fail(`origin '${url.origin}' is not on the RP ID '${rpId}': use rpId '${host}' or a parent domain of it.`);
    const local = host === 'localhost' || host.endsWith('.localhost');
    if (url.protocol !== 'https:' && !local)
      throw fail(`origin '${url.origin}' must use https (browsers allow plain http for localhost only).`);
    return url.origin;
  });
  const userVerification = options.userVerification ?? 'preferred';
  if (!['required', 'preferred', 'discouraged'].includes(userVerification))
    throw fail(`userVerification must be 'required', 'preferred' or 'discouraged'.`);
  const timeout = options.timeout ?? 300;
  if (!Number.isInteger(timeout) || timeout < 30 || timeout > 600)
    throw fail(`timeout must be a whole number of seconds from 30 to 600 (got ${timeout}).`);
  const attestation = options.attestation ?? 'none';
  if (attestation !== 'none' && attestation !== 'direct') throw fail(`attestation must be 'none' or 'direct'.`);
  const allowed = options.allowedAaguids?.map((a) => String(a).toLowerCase()) ?? null;
  if (allowed && attestation !== 'direct')
    throw fail(`allowedAaguids needs attestation: 'direct' — without it a model's AAGUID is not proven.`);
  for (const aaguid of allowed ?? [])
    if (!UUID.test(aaguid)) throw fail(`allowedAaguids: '${aaguid}' is not an AAGUID (a UUID).`);
  const names: Record<string, string> = {};
  for (const [aaguid, name] of Object.entries(options.authenticatorNames ?? {})) {
    if (!UUID.test(aaguid.toLowerCase())) throw fail(`authenticatorNames: '${aaguid}' is not an AAGUID (a UUID).`);
    // Names become labels, so they follow the label rule's length.
    if (typeof name !== 'string' || name.trim().length === 0 || [...name.trim()].length > 64)
      throw fail(`authenticatorNames['${aaguid}'] must be a name of 1 to 64 characters.`);
    names[aaguid.toLowerCase()] = name.trim();
  }
  return {
    rpId,
    rpName: options.rpName ?? issuer,
    origins,
    userVerification,
    timeoutMs: timeout * 1000,
    attestation,
    allowedAaguids: allowed,
    authenticatorNames: names,
  };
}
