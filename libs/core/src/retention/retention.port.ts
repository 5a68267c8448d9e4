/**
 * What the background retention prunes, one table (or row family) each. WebAuthn challenges
 * are stored as OTP codes (channel 'webauthn'), so `otpCodes` covers them too.
 */
export const RETENTION_KINDS = [
  'challenges',
  'otpCodes',
  'grants',
  'trustedDevices',
  'recoveryTickets',
  'sessionVerifications',
  'auditEvents',
  'exemptions',
] as const;

export type RetentionKind = (typeof RETENTION_KINDS)[number];

/**
 * Where dead rows are deleted. A store that also implements this (or a separate object
 * given as `retention.store`; the setup builds one over the TypeORM store's database) is
 * pruned in the background. The name is prefixed so one class can implement this beside
 * MfaStore and RiskHistoryStore.
 */
export interface RetentionStore {
  /**
   * Deletes at most `limit` rows of `kind` that were dead before `before` (epoch ms) and
   * answers how many this call deleted — never rows another instance deleted meanwhile.
   * - challenges, otpCodes, grants: expired before `before`; short-lived (minutes), so a
   *   completed, consumed or used one goes with its expiry, found by one indexed range
   * - trustedDevices: expired, or revoked, before `before`
   * - recoveryTickets: expired, or redeemed, before `before`
   * - sessionVerifications: every verification of a session whose newest one is older than
   *   `before`; a session that verified anything since keeps all of its verifications
   * - auditEvents: events recorded before `before`
   * - exemptions: expired, or revoked, before `before` (an exemption stops applying at its
   *   expiry by the clock alone; this only deletes the row)
   */
  pruneExpired(kind: RetentionKind, before: number, limit: number): Promise<number>;
}

export function isRetentionStore(candidate: unknown): candidate is RetentionStore {
  return typeof (candidate as Partial<RetentionStore> | null | undefined)?.pruneExpired === 'function';
}
