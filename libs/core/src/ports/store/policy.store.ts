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

export interface PolicyStore {
  /** Inserts a new version; false when that version number is already taken. */
  insertPolicyVersion(record: PolicyVersionRecord): Promise<boolean>;
  listPolicyVersions(): Promise<PolicyVersionRecord[]>;
  findPolicyVersion(version: number): Promise<PolicyVersionRecord | null>;
  recordPolicyActivation(record: PolicyActivationRecord): Promise<void>;
  /** Newest first. The first one is the active version. */
  listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]>;
}
