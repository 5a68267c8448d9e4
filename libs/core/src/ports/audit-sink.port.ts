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
}

export interface AuditSink {
  emit(event: AuditEvent): Promise<void> | void;
}
