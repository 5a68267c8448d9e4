import { MfaError } from '../errors/mfa.error';
import { FACTOR_TYPES } from '../factors/factor-type';
import type { RecoveryTicketIssued } from '../lifecycle/recovery-ticket.service';
import type { UserMfaView } from '../lifecycle/lifecycle.service';
import { rotateSealedSecrets } from '../crypto/rotate-secrets';
import type { MfaCoreOptions } from '../options/mfa-core.options';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { explainPolicy, PolicyExplanation } from '../policy/explain';
import type { PolicyService, PolicyVersionView } from '../policy/policy.service';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import type { AuditPage, AuditQuery } from '../ports/audit-sink.port';
import type { MfaSubject } from '../subject';
import { composeServices, createMfaContext, MfaServices } from './compose';

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

  protected constructor(options: MfaCoreOptions) {
    this.ctx = createMfaContext(options);
    this.services = composeServices(this.ctx);
    this.policy = this.services.policy;
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
    const [enrollments, state] = await Promise.all([
      this.ctx.store.listEnrollments(who.userId),
      this.ctx.store.findUserState(who.userId),
    ]);
    const facts = {
      enrolled: enrollments.some((e) => e.status === 'active'),
      requiredSince: state?.enrollmentRequiredSince ?? null,
      reenrollmentForcedAt: state?.reenrollmentForcedAt ?? null,
    };
    return explainPolicy(
      this.policy.current(),
      target,
      context,
      { userId: who.userId, groups: who.groups ?? [] },
      facts,
      this.ctx.clock.now(),
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

  /** Re-seals every TOTP secret under the current key. Safe to run while serving. */
  rotateEncryptionKeys(): Promise<number> {
    return rotateSealedSecrets(this.ctx);
  }
}
