/** What an exemption lifts: mandatory enrollment, or one policy rule's requirement. */
export type ExemptionScope = 'enrollment' | 'rule';

/**
 * An administrator's time-boxed exemption of one user. It applies while `now < expiresAt`
 * and it is not revoked: it ends by itself, with no job; retention (kind `exemptions`) deletes the row later.
 */
export interface ExemptionRecord {
  id: string;
  userId: string;
  scope: ExemptionScope;
  /** The policy rule's id when `scope` is 'rule'; null for 'enrollment'. */
  ruleId: string | null;
  /**
   * The rule's fingerprint (`CompiledRule.fingerprint`) when granted; null for 'enrollment'.
   * A store that does not keep it returns null or leaves it out, and its rule exemptions lift nothing.
   */
  ruleFingerprint?: string | null;
  reason: string;
  grantedBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedBy: string | null;
}

/**
 * Exemptions, an optional slice of the store (see `isExemptionStore`): a custom store without
 * it simply has none, and the admin endpoints answer EXEMPTIONS_UNAVAILABLE.
 */
export interface ExemptionStore {
  createExemption(record: ExemptionRecord): Promise<void>;
  findExemption(userId: string, id: string): Promise<ExemptionRecord | null>;
  /** The user's exemptions, ended ones included until retention prunes them, newest first, at most `limit`. */
  listExemptions(userId: string, limit: number): Promise<ExemptionRecord[]>;
  /** Those in force at `now`: not revoked and `expiresAt > now`. One indexed read. */
  listActiveExemptions(userId: string, now: number): Promise<ExemptionRecord[]>;
  /** Ends one still in force: one conditional write (`revoked_at IS NULL AND expires_at > now`). */
  revokeExemption(userId: string, id: string, now: number, revokedBy: string): Promise<boolean>;
  /**
   * Those in force at `now` for any of these users (a page of a compliance report), in one
   * read. Optional so a custom store written before it still counts as an exemption store:
   * the report then reads `listActiveExemptions` user by user.
   */
  listActiveExemptionsOf?(userIds: readonly string[], now: number): Promise<ExemptionRecord[]>;
}

const EXEMPTION_METHODS: ReadonlyArray<keyof ExemptionStore> = [
  'createExemption',
  'findExemption',
  'listExemptions',
  'listActiveExemptions',
  'revokeExemption',
];

export function isExemptionStore(store: unknown): store is ExemptionStore {
  const s = store as Partial<Record<keyof ExemptionStore, unknown>> | null | undefined;
  return !!s && typeof s === 'object' && EXEMPTION_METHODS.every((m) => typeof s[m] === 'function');
}
