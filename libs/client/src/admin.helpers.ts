import type { PolicyDocument } from '../../core/src';
import type { MfaTransport } from './client.transport.js';
import type {
  AdminFactorResetResult,
  AdminUserViewResult,
  AuditPageResult,
  AuditQueryParams,
  BackupCodesResult,
  ComplianceReportResult,
  DevicesRevokedResult,
  ExemptionListResult,
  ExemptionResult,
  ExplainBody,
  GrantExemptionBody,
  LockoutClearedResult,
  PolicyDiffResult,
  PolicyExplanationResult,
  PolicyVersionListResult,
  PolicyVersionResult,
  PolicyWhatIfResult,
  RecoveryTicketBody,
  RecoveryTicketResult,
  ReenrollmentForcedResult,
  ReportOnlyStoppedResult,
  WhatIfParams,
} from './client.types.js';

/** Policy versions and "what would this user face, and why". */
export interface MfaPolicyAdmin {
  versions(): Promise<PolicyVersionListResult>;
  version(version: number): Promise<PolicyVersionResult>;
  /** Stores a new version (validated by the server, `400 POLICY_INVALID` with paths); it is not active until `activate`. */
  create(document: PolicyDocument, comment?: string): Promise<PolicyVersionResult>;
  activate(version: number): Promise<PolicyVersionResult>;
  rollback(): Promise<PolicyVersionResult>;
  /** No side effects: the decision, the rule, the version and every layer of the requirement. */
  explain(query: ExplainBody): Promise<PolicyExplanationResult>;
  /**
   * Runs a stored version report-only beside the active one (replacing the one running): every
   * guarded request is decided by both, disagreements are audited as `policy.report_only`, and
   * nothing it decides is enforced. `409 POLICY_VERSION_ENFORCED` for the active version itself.
   */
  startReportOnly(version: number): Promise<PolicyVersionResult>;
  /** Stops the report-only run; `{ stopped: false }` when none was running. */
  stopReportOnly(): Promise<ReportOnlyStoppedResult>;
  /**
   * What a candidate (`version`, or an unsaved `document`) would have decided differently over
   * the recorded decisions of a window (at most 31 days), with what the replay could see in `coverage`.
   */
  whatIf(query: WhatIfParams): Promise<PolicyWhatIfResult>;
  /** Changed requirements per service and operation, rule and setting, from version `from` to `to`. */
  diff(from: number, to: number): Promise<PolicyDiffResult>;
}

/** A user's time-boxed exemptions from mandatory enrollment or one policy rule. */
export interface MfaExemptionsAdmin {
  /** Newest first: in force, expired and revoked. */
  list(userId: string): Promise<ExemptionListResult>;
  /** At most 90 days, with a reason; audited and told to the user. */
  grant(userId: string, body: GrantExemptionBody): Promise<ExemptionResult>;
  /** Ends one in force at once (`404 EXEMPTION_NOT_FOUND` otherwise). */
  revoke(userId: string, exemptionId: string): Promise<ExemptionResult>;
}

/**
 * The server's `authorizeAdmin` decides who may call these, and each also needs the admin's
 * own MFA in this session: reads any earlier verification, changes a recent one (the
 * client prompts through `onChallenge` when the server asks). A non-admin gets `MFA_ADMIN_FORBIDDEN`.
 */
export interface MfaAdmin {
  /** A user's factors, backup codes left, trusted devices, lockout and enrollment state: never a secret. */
  viewUser(userId: string): Promise<AdminUserViewResult>;
  /** Every factor, code, device and verified session of the user goes; they must enroll at their next request. */
  forceReenrollment(userId: string): Promise<ReenrollmentForcedResult>;
  resetFactor(userId: string, enrollmentId: string): Promise<AdminFactorResetResult>;
  revokeDevice(userId: string, deviceId: string): Promise<DevicesRevokedResult>;
  revokeDevices(userId: string): Promise<DevicesRevokedResult>;
  /** A new set, returned once, to hand to the user out of band. */
  regenerateBackupCodes(userId: string): Promise<BackupCodesResult>;
  /** After verifying the user out of band: a single-use ticket (24 h unless `ttlHours`), returned once. */
  issueRecoveryTicket(userId: string, body?: RecoveryTicketBody): Promise<RecoveryTicketResult>;
  clearLockout(userId: string): Promise<LockoutClearedResult>;
  /**
   * Who must enroll and has not (by group, grace days left), who has only SMS/email, who is running out of
   * backup codes: a page of the users the store knows; pass its `nextCursor` as `cursor` for the next one.
   */
  compliance(page?: { cursor?: string; limit?: number }): Promise<ComplianceReportResult>;
  /** The audit trail, newest first; needs the server's `'database'` audit sink (else `AUDIT_QUERY_UNAVAILABLE`). */
  audit(query?: AuditQueryParams): Promise<AuditPageResult>;
  exemptions: MfaExemptionsAdmin;
  policy: MfaPolicyAdmin;
}

export function adminHelpers(t: MfaTransport): MfaAdmin {
  const policy: MfaPolicyAdmin = {
    versions: () => t.call('GET /admin/policy/versions', {}),
    version: (version) => t.call('GET /admin/policy/versions/:version', { version }),
    create: (document, comment) =>
      t.call('POST /admin/policy/versions', {}, { document, ...(comment === undefined ? {} : { comment }) }),
    activate: (version) => t.call('POST /admin/policy/versions/:version/activate', { version }),
    rollback: () => t.call('POST /admin/policy/rollback', {}),
    explain: (query) => t.call('POST /admin/policy/explain', {}, query),
    startReportOnly: (version) => t.call('POST /admin/policy/versions/:version/report-only', { version }),
    stopReportOnly: () => t.call('DELETE /admin/policy/report-only', {}),
    whatIf: ({ from, to, ...candidate }) =>
      t.call('POST /admin/policy/what-if', {}, { ...candidate, from: iso(from), to: iso(to) }),
    diff: (from, to) =>
      t.call('GET /admin/policy/diff', {}, undefined, { query: { from: String(from), to: String(to) } }),
  };
  return {
    viewUser: (userId) => t.call('GET /admin/users/:userId', { userId }),
    forceReenrollment: (userId) => t.call('POST /admin/users/:userId/reenrollment', { userId }),
    resetFactor: (userId, enrollmentId) =>
      t.call('DELETE /admin/users/:userId/enrollments/:enrollmentId', { userId, enrollmentId }),
    revokeDevice: (userId, deviceId) => t.call('DELETE /admin/users/:userId/devices/:deviceId', { userId, deviceId }),
    revokeDevices: (userId) => t.call('DELETE /admin/users/:userId/devices', { userId }),
    regenerateBackupCodes: (userId) => t.call('POST /admin/users/:userId/backup-codes', { userId }),
    issueRecoveryTicket: (userId, body = {}) => t.call('POST /admin/users/:userId/recovery-tickets', { userId }, body),
    clearLockout: (userId) => t.call('DELETE /admin/users/:userId/lockout', { userId }),
    compliance: ({ cursor, limit } = {}) =>
      t.call('GET /admin/compliance', {}, undefined, {
        query: {
          ...(cursor === undefined ? {} : { cursor }),
          ...(limit === undefined ? {} : { limit: String(limit) }),
        },
      }),
    audit: (query = {}) => t.call('GET /admin/audit', {}, undefined, { query: auditQuery(query) }),
    exemptions: {
      list: (userId) => t.call('GET /admin/users/:userId/exemptions', { userId }),
      grant: (userId, body) => t.call('POST /admin/users/:userId/exemptions', { userId }, body),
      revoke: (userId, exemptionId) =>
        t.call('DELETE /admin/users/:userId/exemptions/:exemptionId', { userId, exemptionId }),
    },
    policy,
  };
}

/** The query string the server validates: ISO 8601 times, `limit` as digits. */
function auditQuery(query: AuditQueryParams): Record<string, string | undefined> {
  return {
    userId: query.userId,
    type: query.type,
    from: iso(query.from),
    to: iso(query.to),
    limit: query.limit === undefined ? undefined : String(query.limit),
    cursor: query.cursor,
  };
}

function iso(at: string | Date): string;
function iso(at?: string | Date): string | undefined;
function iso(at?: string | Date): string | undefined {
  return at instanceof Date ? at.toISOString() : at;
}
