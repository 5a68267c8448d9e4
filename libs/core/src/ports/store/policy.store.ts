export interface PolicyVersionRecord {
  version: number;
  author: string;
  comment: string | null;
  createdAt: number;
  contentHash: string;
  /** The JSON document as submitted. */
  document: string;
}

export interface PolicyActivationRecord {
  version: number;
  actor: string;
  kind: 'activate' | 'rollback' | 'boot';
  activatedAt: number;
}

/**
 * A report-only run starting or stopping. Kept apart from the activations, so nothing that
 * reads those (an older instance during a rolling upgrade included) can take a report-only
 * version for the enforcing one.
 */
export interface PolicyReportOnlyRecord {
  version: number;
  actor: string;
  kind: 'start' | 'stop';
  at: number;
}

export interface PolicyStore {
  /** Inserts a new version; false when that version number is already taken. */
  insertPolicyVersion(record: PolicyVersionRecord): Promise<boolean>;
  listPolicyVersions(): Promise<PolicyVersionRecord[]>;
  findPolicyVersion(version: number): Promise<PolicyVersionRecord | null>;
  recordPolicyActivation(record: PolicyActivationRecord): Promise<void>;
  /** Newest first. The first one is the active version. */
  listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]>;
  recordPolicyReportOnly(record: PolicyReportOnlyRecord): Promise<void>;
  /** The newest report-only record: its version runs report-only while it is a `start`. */
  latestPolicyReportOnly(): Promise<PolicyReportOnlyRecord | null>;
}
