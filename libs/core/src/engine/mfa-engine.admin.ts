import { buildComplianceReport, complianceStoreOf } from '../compliance/compliance-report';
import type { ComplianceOptions, ComplianceReport } from '../compliance/compliance-report.types';
import { MfaError } from '../errors/mfa.error';
import type { MfaExemptions } from '../exemptions/exemption';
import { FACTOR_TYPES } from '../factors/factor-type';
import type { RecoveryTicketIssued } from '../lifecycle/recovery-ticket.service';
import type { UserMfaView } from '../lifecycle/lifecycle.service';
import { rotateSealedSecrets } from '../crypto/rotate-secrets';
import type { MfaCoreOptions } from '../options/mfa-core.options';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { explainPolicy, PolicyExplanation } from '../policy/explain';
import type { PolicyService } from '../policy/policy.service';
import type { PolicyVersionView } from '../policy/policy-version.view';
import { diffPolicies, PolicyDiff } from '../policy/policy-diff';
import { checkWhatIfWindow, whatIf, WhatIfResult, WhatIfWindow } from '../policy/what-if';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import type { AuditPage, AuditQuery } from '../ports/audit-sink.port';
import type { MfaSubject } from '../subject';
import { composeServices, createMfaContext, MfaServices } from './compose';

/** A what-if's candidate and window: exactly one of `version` and `document`. */
export interface WhatIfRequest extends WhatIfWindow {
  version?: number;
  /** A policy document not stored yet, checked as creating a version would check it. */
  document?: unknown;
}

/** Who `explain` asks about: no session is needed, since nothing is verified or written. */
export interface ExplainSubject {
  userId: string;
  groups?: string[];
}

/**
 * The half of `MfaEngine` that help desks, policy authors and operators call: user
 * administration, policy versions, lockout, audit and key rotation. A base class only so
 * each half reads on its own; `MfaEngine` is the one type anyone constructs.
 */
export abstract class MfaEngineAdmin {
  /** @internal The wiring both halves share; not part of the public surface. */
  protected readonly ctx: ResolvedMfaContext;
  /** @internal */
  protected readonly services: MfaServices;
  readonly policy: PolicyService;
  /** Admin: a user's time-boxed exemptions from mandatory enrollment or a policy rule (grant, list, revoke). */
  readonly exemptions: MfaExemptions;
  private whatIfRunning = false;

  protected constructor(options: MfaCoreOptions) {
    this.ctx = createMfaContext(options);
    this.services = composeServices(this.ctx);
    this.policy = this.services.policy;
    this.exemptions = this.services.exemptions;
  }

  /** Admin: a user's MFA metadata (factors, backup codes left, devices, lockout, enrollment state). */
  async adminViewUser(userId: string): Promise<UserMfaView> {
    return this.services.lifecycle.viewUser(userId, await this.lockoutStatus(userId));
  }

  adminResetFactor(admin: MfaSubject, userId: string, enrollmentId: string): Promise<void> {
    return this.services.lifecycle.resetFactor(admin, userId, enrollmentId);
  }

  adminForceReenrollment(admin: MfaSubject, userId: string): Promise<void> {
    return this.services.lifecycle.forceReenrollment(admin, userId);
  }

  adminRevokeDevice(admin: MfaSubject, userId: string, deviceId: string): Promise<void> {
    return this.services.lifecycle.revokeDevice({ userId }, deviceId, `admin:${admin.userId}`, admin.userId);
  }

  adminRevokeDevices(admin: MfaSubject, userId: string): Promise<number> {
    return this.services.devices.revokeAll({ userId }, `admin:${admin.userId}`, admin.userId);
  }

  /** A new backup-code set for the user, returned once to the admin (who hands it over out of band). */
  adminRegenerateBackupCodes(admin: MfaSubject, userId: string): Promise<string[]> {
    return this.services.backupCodes.regenerateFor(admin, userId);
  }

  adminIssueRecoveryTicket(
    admin: MfaSubject,
    userId: string,
    reason?: string,
    ttlHours?: number,
  ): Promise<RecoveryTicketIssued> {
    return this.services.recovery.issue(admin, userId, reason, ttlHours);
  }

  /** An administrator lifts every lock and count of a user; audited with the admin. */
  async adminClearLockout(admin: MfaSubject, userId: string): Promise<void> {
    await this.clearLockout(userId);
    this.services.audit.record(
      { userId },
      { type: 'admin.lockout_cleared', severity: 'warning', outcome: 'success', actor: admin.userId },
    );
  }

  /**
   * What a user would face on a target in a context, and why — for a fresh session, with
   * no side effects: nothing is written, no challenge is opened, nothing is audited. The
   * decision is the guard's; `layers` is every requirement behind it, in the order checked.
   */
  async explain(who: ExplainSubject, target: MfaTarget, context: RequestContext = {}): Promise<PolicyExplanation> {
    await this.policy.init();
    const now = this.ctx.clock.now();
    const [enrollments, state, exemptions] = await Promise.all([
      this.ctx.store.listEnrollments(who.userId),
      this.ctx.store.findUserState(who.userId),
      this.services.exemptions.active(who.userId, now),
    ]);
    const facts = {
      enrolled: enrollments.some((e) => e.status === 'active'),
      requiredSince: state?.enrollmentRequiredSince ?? null,
      reenrollmentForcedAt: state?.reenrollmentForcedAt ?? null,
    };
    // No `risk` given: scored as the guard would, from the user's history (read, never
    // taught); a given `risk` is the score to explain at.
    if (context.risk === undefined && this.services.risk.assesses(this.policy.current()))
      context = await this.services.risk.assess({ userId: who.userId }, context);
    return explainPolicy(
      this.policy.current(),
      target,
      context,
      { userId: who.userId, groups: who.groups ?? [] },
      facts,
      now,
      exemptions,
    );
  }

  listPolicyVersions(): Promise<PolicyVersionView[]> {
    return this.policy.versions();
  }

  getPolicyVersion(version: number): Promise<PolicyVersionView> {
    return this.policy.version(version);
  }

  createPolicyVersion(document: unknown, author: string, comment?: string): Promise<PolicyVersionView> {
    return this.policy.create(document, author, comment);
  }

  activatePolicyVersion(version: number, actor: string): Promise<PolicyVersionView> {
    return this.policy.activate(version, actor);
  }

  rollbackPolicy(actor: string): Promise<PolicyVersionView> {
    return this.policy.rollback(actor);
  }

  /**
   * Runs a stored version report-only beside the active one, replacing the one running: every
   * guarded request is decided by both, disagreements are audited (`policy.report_only`), and
   * only the active version is ever enforced.
   */
  startReportOnlyPolicy(version: number, actor: string): Promise<PolicyVersionView> {
    return this.policy.startReportOnly(version, actor);
  }

  async stopReportOnlyPolicy(actor: string): Promise<{ stopped: boolean; version: number | null }> {
    const version = await this.policy.stopReportOnly(actor);
    return { stopped: version !== null, version };
  }

  /**
   * What a candidate (a stored `version`, or a `document` not stored yet) would have decided
   * differently over the recorded decisions of a window, and how much of the window it could see.
   * One at a time per instance (`WHAT_IF_BUSY`): each may read 50,000 events.
   */
  async whatIf(request: WhatIfRequest): Promise<WhatIfResult> {
    const reader = this.ctx.auditReader;
    if (!reader) throw new MfaError('AUDIT_QUERY_UNAVAILABLE');
    if ((request.version === undefined) === (request.document === undefined))
      throw new MfaError('VALIDATION_FAILED', {
        errors: [{ field: 'version', problems: ['give either a stored version or a document, not both'] }],
      });
    checkWhatIfWindow(request);
    if (this.whatIfRunning) throw new MfaError('WHAT_IF_BUSY');
    this.whatIfRunning = true;
    try {
      const candidate =
        request.version === undefined
          ? this.policy.compileDocument(request.document)
          : await this.policy.compiledVersion(request.version);
      return await whatIf(reader, candidate, request);
    } finally {
      this.whatIfRunning = false;
    }
  }

  /** Changed requirements per service and operation, rule and setting, from `from` to `to`. */
  async diffPolicyVersions(from: number, to: number): Promise<PolicyDiff> {
    const [a, b] = await Promise.all([this.policy.compiledVersion(from), this.policy.compiledVersion(to)]);
    return diffPolicies(a, b);
  }

  /** Erasure or a help desk's reset: the user's risk history goes, and they start over as on a first sign-in. */
  async adminForgetRiskHistory(admin: MfaSubject, userId: string): Promise<void> {
    await this.services.risk.forget(userId);
    this.services.audit.record(
      { userId },
      { type: 'admin.risk_history_forgotten', severity: 'warning', outcome: 'success', actor: admin.userId },
    );
  }

  /** Drops up to `limit` risk profiles not written within `risk.retentionDays` (run it from a scheduled job). */
  pruneRiskHistory(limit = 1000): Promise<number> {
    return this.services.risk.prune(limit);
  }

  /** Failures and remaining lock time per channel and account-wide, for the app or a help desk. */
  lockoutStatus(userId: string): Promise<Record<string, { failures: number; lockedForSeconds: number }>> {
    return this.services.limiter.status(userId, FACTOR_TYPES);
  }

  /** Lifts every lock and count of a user (an administrator's decision). */
  clearLockout(userId: string): Promise<void> {
    return this.services.limiter.clear(userId, [...FACTOR_TYPES, 'password']);
  }

  /** Searches the audit trail (newest first, paginated) when the sink can be searched. */
  queryAudit(query: AuditQuery): Promise<AuditPage> {
    if (!this.ctx.auditReader) return Promise.reject(new MfaError('AUDIT_QUERY_UNAVAILABLE'));
    return this.ctx.auditReader.query(query);
  }

  /**
   * Who mandatory enrollment covers and has no factor yet (by group, with the grace left), who
   * has only SMS or email, who has fewer than 3 backup codes: over the host's `directory`, or
   * without one over the users the store knows. Needs the store's operator reads.
   */
  async complianceReport(options: ComplianceOptions = {}): Promise<ComplianceReport> {
    const store = complianceStoreOf(this.ctx.store);
    await this.policy.init();
    return buildComplianceReport(store, this.policy.current(), this.ctx.clock.now(), options);
  }

  /** Re-seals every TOTP secret under the current key. Safe to run while serving. */
  rotateEncryptionKeys(): Promise<number> {
    return rotateSealedSecrets(this.ctx);
  }
}
