/** One user of the host's directory: the library does not own users, so their groups come from the host. */
export interface DirectoryUser {
  userId: string;
  groups: string[];
}

/** The host's users, read once in order; an async source is read page by page as the report goes. */
export type DirectorySource = Iterable<DirectoryUser> | AsyncIterable<DirectoryUser>;

/** What a report reads of the active policy: its version and mandatory enrollment (null: not mandatory). */
export interface CompliancePolicy {
  version: number;
  enrollment: { everyone: boolean; groups: readonly string[]; graceMs: number } | null;
}

export interface ComplianceOptions {
  /**
   * Every user of the host with their groups. Without it the report covers the users the
   * store knows (a user-state, factor or backup-code row), whose groups it cannot know.
   */
  directory?: DirectorySource;
  /** Users read per store query. @default 500 */
  batchSize?: number;
  /**
   * One page of the users the store knows, so an answer stays bounded on any store: at most
   * `limit` users (1 to 5,000) are checked, in user-id order after `cursor` (a previous page's
   * `nextCursor`). Totals and groups then count that page. Not with `directory`. @default whole report
   */
  limit?: number;
  /** Where this page starts: the previous page's `nextCursor` (opaque). */
  cursor?: string;
}

/**
 * - `not_started`: covered, but the grace period starts at the user's next guarded request
 * - `in_grace`: covered, days left
 * - `overdue`: the grace period ended; every guarded route refuses with MFA_ENROLLMENT_REQUIRED
 * - `reenrollment_forced`: an administrator forced re-enrollment; no grace (an exemption does not lift it)
 * - `exempt`: an enrollment exemption is in force until `exemptUntil`; the user is let on
 *   without a factor until then, and is neither overdue nor a gap
 */
export type MissingFactorStatus = 'not_started' | 'in_grace' | 'overdue' | 'reenrollment_forced' | 'exempt';

/** A user mandatory enrollment covers who has no active factor. */
export interface MissingFactorEntry {
  userId: string;
  /** The groups that put the user under the requirement (all of theirs under `everyone`); null without a directory. */
  groups: string[] | null;
  status: MissingFactorStatus;
  requiredSince: string | null;
  graceEndsAt: string | null;
  /** Whole days left, rounded up; 0 or negative: overdue (by that many whole days). */
  graceDaysLeft: number;
  overdue: boolean;
  /** When the enrollment exemption in force ends (the longest-running one); null when none applies. */
  exemptUntil: string | null;
  /** That exemption's id, for `GET /admin/users/:userId/exemptions`; null when none applies. */
  exemptionId: string | null;
}

/** A user whose every active factor is SMS or email, the weaker ones (NIST 800-63B §5.1.3.3). */
export interface WeakFactorsEntry {
  userId: string;
  factors: Array<'sms' | 'email'>;
}

/** A user with a backup-code set and fewer than `LOW_BACKUP_CODES` unused codes in it. */
export interface LowBackupCodesEntry {
  userId: string;
  remaining: number;
}

export interface ComplianceGroupCount {
  /** `(unknown)` without a directory; `(none)` for a directory user in no group. */
  group: string;
  missingFactor: number;
  overdue: number;
  exempt: number;
}

export interface ComplianceReport {
  generatedAt: string;
  policyVersion: number;
  /** Who was checked: the host's `directory`, or the users the `store` knows. */
  coverage: 'directory' | 'store';
  /** The active policy's mandatory enrollment; null when enrollment is not mandatory. */
  mandatoryEnrollment: { everyone: boolean; groups: string[]; graceDays: number } | null;
  /** Of the users this report checked: the page's, when paged. */
  totals: {
    usersChecked: number;
    missingFactor: number;
    overdue: number;
    /** Of `missingFactor`, those an enrollment exemption lets on: never counted as overdue. */
    exempt: number;
    weakFactorsOnly: number;
    lowBackupCodes: number;
  };
  byGroup: ComplianceGroupCount[];
  missingFactor: MissingFactorEntry[];
  weakFactorsOnly: WeakFactorsEntry[];
  lowBackupCodes: LowBackupCodesEntry[];
  /** A paged report's next page (`cursor`); null when this report reached the last user. */
  nextCursor: string | null;
}
