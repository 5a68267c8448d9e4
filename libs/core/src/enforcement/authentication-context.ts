import { sessionRefOf } from '../audit/audit-trail';
import type { FactorType, MfaStore } from '../ports/mfa-store.port';

/**
 * What a session has proven, in the claims token issuers use (RFC 8176 `amr`, OIDC `acr`
 * and `auth_time`), so a host can mint a token that carries its MFA and downstream
 * services can check it as in RFC 9470 / RFC 9068.
 */
export interface AuthenticationContext {
  /** RFC 8176 values: `otp` (TOTP, email codes, backup codes), `sms`, and `mfa` once a factor is verified; your `firstFactors` lead. */
  amr: string[];
  /** `aal2` once a second factor was verified in this session, else `aal1`. */
  acr: 'aal1' | 'aal2';
  /** Seconds since the epoch of the latest verification; null when there is none. */
  auth_time: number | null;
  /** Each verified factor type with its latest verification (ISO 8601). */
  factors: { factor: FactorType; verifiedAt: string }[];
}

const AMR: Record<FactorType, string> = { totp: 'otp', sms: 'sms', email: 'otp', backup_code: 'otp' };

export async function authenticationContext(
  store: MfaStore,
  userId: string,
  sessionId: string,
  firstFactors: string[] = [],
): Promise<AuthenticationContext> {
  const records = await store.listSessionFactors(userId, sessionRefOf(sessionId));
  const latest = new Map<FactorType, number>();
  for (const r of records) latest.set(r.factor, Math.max(latest.get(r.factor) ?? 0, r.verifiedAt));
  const verified = [...latest.entries()].sort(([, a], [, b]) => a - b);
  const amr = [
    ...new Set([...firstFactors, ...verified.map(([factor]) => AMR[factor]), ...(verified.length ? ['mfa'] : [])]),
  ];
  const last = verified.at(-1)?.[1];
  return {
    amr,
    acr: verified.length ? 'aal2' : 'aal1',
    auth_time: last === undefined ? null : Math.floor(last / 1000),
    factors: verified.map(([factor, at]) => ({ factor, verifiedAt: new Date(at).toISOString() })),
  };
}
