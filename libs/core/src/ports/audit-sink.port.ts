import type { DecisionReplay } from '../policy/decision-replay';
import type { ReportOnlyVerdict } from '../policy/decision-recorder';

export type AuditSeverity = 'info' | 'warning' | 'high' | 'critical';

/** One structured event. It never carries a secret, a code or a full recipient. */
export interface AuditEvent {
  type: string;
  at: number;
  severity: AuditSeverity;
  userId?: string;
  /** A short hash of the session reference, enough to correlate events. */
  sessionRef?: string;
  channel?: string;
  outcome?: 'success' | 'failure' | 'challenge' | 'refused';
  reason?: string;
  challengeId?: string;
  enrollmentId?: string;
  /** The policy version and rule behind a decision. */
  policyVersion?: number;
  ruleId?: string;
  /** Who acted, when it is not the user (an admin). */
  actor?: string;
  ip?: string;
  userAgent?: string;
  /** A guarded decision's inputs (target, groups, context, verification ages), so what-if can replay it. */
  replay?: DecisionReplay;
  /** `policy.report_only`: what the report-only version would have done instead. */
  reportOnly?: ReportOnlyVerdict;
}

export interface AuditSink {
  emit(event: AuditEvent): Promise<void> | void;
  /**
   * True when this sink is the store's own audit table and the store writes a
   * verification's events inside the verification's commit (`VerificationCommit.audit`):
   * such events then skip this sink. Set by the setup for `audit: 'database'`.
   */
  readonly writtenByStoreCommit?: boolean;
}

export interface AuditQuery {
  userId?: string;
  type?: string;
  /** Epoch milliseconds, inclusive. */
  from?: number;
  /** Epoch milliseconds, exclusive. */
  to?: number;
  /** @default 50, at most 200 */
  limit?: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

export interface AuditPage {
  events: Array<AuditEvent & { id: string }>;
  nextCursor: string | null;
}

/** A sink whose events can be searched (the database table), for the admin audit API. */
export interface AuditReader {
  query(query: AuditQuery): Promise<AuditPage>;
}
