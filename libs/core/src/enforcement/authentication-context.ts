import { sessionRefOf } from '../audit/audit-trail';
import { assuranceOfRecord, type Aal } from '../factors/assurance';
import type { FactorType, MfaStore } from '../ports/mfa-store.port';

/**
 * What a session has proven, in the claims token issuers use (RFC 8176 `amr`, OIDC `acr`
 * and `auth_time`), so a host can mint a token that carries its MFA and downstream
 * services can check it as in RFC 9470 / RFC 9068.
 */
export interface AuthenticationContext {
  /**
   * RFC 8176 values: `otp` (TOTP, email codes, backup codes), `sms`, `hwk`/`swk` with `user`
   * (and `pin` for user verification) for passkeys, and `mfa` once a factor is verified;
   * your `firstFactors` lead.
   */
  amr: string[];
  /** The highest NIST 800-63B level a verification in this session reached; `aal1` when none did. */
  acr: 'aal1' | 'aal2' | 'aal3';
  /** Seconds since the epoch of the latest verification; null when there is none. */
  auth_time: number | null;
  /** Each verified factor type with its latest verification (ISO 8601) and the level it reached. */
  factors: { factor: FactorType; verifiedAt: string; aal: Aal }[];
}

export async function authenticationContext(
  store: MfaStore,
  userId: string,
  sessionId: string,
  firstFactors: string[] = [],
): Promise<AuthenticationContext> {
  const records = await store.listSessionFactors(userId, sessionRefOf(sessionId));
  const latest = new Map<FactorType, (typeof records)[number]>();
  for (const r of records) if ((latest.get(r.factor)?.verifiedAt ?? -1) < r.verifiedAt) latest.set(r.factor, r);
  const verified = [...latest.values()].sort((a, b) => a.verifiedAt - b.verifiedAt);
  const amr = [
    ...new Set([
      ...firstFactors,
      ...verified.flatMap((r) => assuranceOfRecord(r).amr),
      ...(verified.length ? ['mfa'] : []),
    ]),
  ];
  const aal = Math.max(1, ...verified.map((r) => assuranceOfRecord(r).aal)) as Aal;
  const last = verified.at(-1)?.verifiedAt;
  return {
    amr,
    acr: `aal${aal}`,
    auth_time: last === undefined ? null : Math.floor(last / 1000),
    factors: verified.map((r) => ({
      factor: r.factor,
      verifiedAt: new Date(r.verifiedAt).toISOString(),
      aal: assuranceOfRecord(r).aal,
    })),
  };
}
