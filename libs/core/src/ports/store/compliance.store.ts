import type { EnrollmentType } from './enrollment.store';

/** What the store holds about one user that a compliance report reads: no secret, no target. */
export interface ComplianceFacts {
  userId: string;
  /** The distinct types of the user's active factors; empty when none. */
  activeFactors: EnrollmentType[];
  /** Unused backup codes; null when the user was never issued a set (or it was dropped). */
  backupCodesLeft: number | null;
  enrollmentRequiredSince: number | null;
  reenrollmentForcedAt: number | null;
}

/**
 * Coverage of every user the store knows: who must enroll, who has which factors left.
 * Both reads are bounded by the caller's batch size; a report walks the users page by page
 * (keyset on user id), never with one unbounded SELECT.
 */
export interface ComplianceStore {
  /**
   * The facts of up to `limit` users the store knows (a user-state, enrollment or
   * backup-code row), in the store's user-id order, after `afterUserId` (null: from the start).
   */
  listComplianceFacts(afterUserId: string | null, limit: number): Promise<ComplianceFacts[]>;
  /** The facts of these users (a page of the host's directory); a user with no row has empty facts. */
  findComplianceFacts(userIds: readonly string[]): Promise<ComplianceFacts[]>;
}
