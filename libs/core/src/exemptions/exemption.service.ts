import { randomUUID } from 'node:crypto';
import type { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { CompiledPolicy } from '../policy/compile-policy';
import { MFA_SERVICE } from '../policy/decide';
import type { PolicyService } from '../policy/policy.service';
import type { ExemptionRecord, ExemptionStore } from '../ports/store/exemption.store';
import { isExemptionStore } from '../ports/store/exemption.store';
import type { MfaSubject } from '../subject';
import {
  EXEMPTION_LIST_LIMIT,
  exemptionView,
  ExemptionView,
  GrantExemptionInput,
  liftableRule,
  longestRunning,
  MfaExemptions,
} from './exemption';
import { checkExemptionGrant } from './exemption.validation';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock'>;

const NONE: readonly ExemptionRecord[] = [];

/** "mandatory enrollment until 2026-12-30T…" — what the audit trail and the user's notice say it covers. */
const coverage = (r: Pick<ExemptionRecord, 'scope' | 'ruleId' | 'expiresAt'>) =>
  `${r.scope === 'enrollment' ? 'mandatory enrollment' : `policy rule ${r.ruleId}`} until ${new Date(r.expiresAt).toISOString()}`;

/**
 * Per-user, time-boxed exemptions: admins grant, list and revoke them; the enforcer and
 * `explain` ask which are in force. An exemption ends by the clock alone (`expiresAt`), so
 * nothing has to run for it to stop applying; a revocation is one conditional write read by
 * the next request, on every instance (no cache holds exemptions).
 */
export class ExemptionService implements MfaExemptions {
  private readonly store: ExemptionStore | null;

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: Pick<PolicyService, 'isLoaded' | 'init' | 'current'>,
    private readonly notifications: Pick<NotificationService, 'notify'>,
  ) {
    this.store = isExemptionStore(deps.store) ? deps.store : null;
  }

  get available(): boolean {
    return this.store !== null;
  }

  async grant(admin: MfaSubject, userId: string, input: GrantExemptionInput): Promise<ExemptionView> {
    const store = this.writable();
    // Whoever holds an admin session (theirs or a stolen one) must not lift their own guards.
    if (admin.userId === userId) throw new MfaError('EXEMPTION_SELF');
    const policy = await this.activePolicy();
    const now = this.deps.clock.now();
    const checked = checkExemptionGrant(input, policy, now);
    const record: ExemptionRecord = {
      id: randomUUID(),
      userId,
      ...checked,
      grantedBy: admin.userId,
      createdAt: now,
      revokedAt: null,
      revokedBy: null,
    };
    await store.createExemption(record);
    this.audit.record(
      { userId },
      {
        type: 'exemption.granted',
        severity: 'warning',
        outcome: 'success',
        actor: admin.userId,
        ruleId: record.ruleId ?? undefined,
        // The version names the rule as granted: the exemption lifts it only while it reads the same.
        reason: `${coverage(record)}${record.scope === 'rule' ? ` (as in policy v${policy.version})` : ''}: ${record.reason}`,
      },
    );
    // After the write, and never failing the admin's call: the notifier reports to the audit trail.
    this.notifications.notify({ userId }, { type: 'exemption.granted', detail: coverage(record) });
    return exemptionView(record, now, policy);
  }

  async list(userId: string): Promise<ExemptionView[]> {
    const records = await this.writable().listExemptions(userId, EXEMPTION_LIST_LIMIT);
    const policy = await this.activePolicy();
    const now = this.deps.clock.now();
    return records.map((r) => exemptionView(r, now, policy));
  }

  /** Ends one in force at once; an unknown, foreign, expired or already revoked id is EXEMPTION_NOT_FOUND. */
  async revoke(admin: MfaSubject, userId: string, id: string): Promise<ExemptionView> {
    const store = this.writable();
    const now = this.deps.clock.now();
    const found = id.length <= 64 ? await store.findExemption(userId, id) : null;
    // The conditional write decides: of two racing revocations, one is audited and notified.
    if (!found || !(await store.revokeExemption(userId, id, now, admin.userId)))
      throw new MfaError('EXEMPTION_NOT_FOUND');
    const record: ExemptionRecord = { ...found, revokedAt: now, revokedBy: admin.userId };
    const ended = coverage({ ...record, expiresAt: now });
    this.audit.record(
      { userId },
      {
        type: 'exemption.revoked',
        severity: 'warning',
        outcome: 'success',
        actor: admin.userId,
        ruleId: record.ruleId ?? undefined,
        reason: `${ended} (was until ${new Date(found.expiresAt).toISOString()}): ${found.reason}`,
      },
    );
    this.notifications.notify({ userId }, { type: 'exemption.ended', detail: ended });
    return exemptionView(record, now, await this.activePolicy());
  }

  /** Those in force now; none without an exemption store. One read: call it only where a layer would refuse. */
  active(userId: string, now: number): Promise<readonly ExemptionRecord[]> {
    return this.store ? this.store.listActiveExemptions(userId, now) : Promise.resolve(NONE);
  }

  /** The enrollment exemption in force, if any (the longest running). */
  async enrollment(userId: string, now: number): Promise<ExemptionRecord | undefined> {
    if (!this.store) return undefined;
    return longestRunning((await this.active(userId, now)).filter((r) => r.scope === 'enrollment'));
  }

  /** Whether an exemption could lift the layer that stopped a decision: saves the read when none could. */
  couldLift(policy: CompiledPolicy, ruleId: string, service: string | undefined): boolean {
    return this.store !== null && service !== MFA_SERVICE && liftableRule(policy, ruleId);
  }

  private async activePolicy(): Promise<CompiledPolicy> {
    if (!this.policy.isLoaded) await this.policy.init();
    return this.policy.current();
  }

  private writable(): ExemptionStore {
    if (!this.store) throw new MfaError('EXEMPTIONS_UNAVAILABLE');
    return this.store;
  }
}
