import type { CompiledPolicy } from '../policy/compile-policy';
import { exemptionKey } from '../policy/decide';
import type { ExemptionRecord, ExemptionScope } from '../ports/store/exemption.store';
import type { MfaSubject } from '../subject';

export type { ExemptionRecord, ExemptionScope } from '../ports/store/exemption.store';

/** The longest an exemption may run: a time box, never a standing waiver. */
export const MAX_EXEMPTION_DAYS = 90;
/** The `reason` column's width. */
export const MAX_EXEMPTION_REASON_LENGTH = 512;
/** At most this many of a user's exemptions are listed (retention prunes ended ones). */
export const EXEMPTION_LIST_LIMIT = 100;

/** What an admin asks for: exactly one of `days` and `expiresAt` (epoch ms). */
export interface GrantExemptionInput {
  scope: ExemptionScope;
  /** Required when `scope` is 'rule': the id of a rule of the active policy that requires a factor. */
  ruleId?: string;
  /** Why, for the audit trail and the help desk: e.g. "phone lost abroad, ticket #4711". */
  reason: string;
  days?: number;
  expiresAt?: number;
}

/** `superseded`: in force by the clock, but the rule it names changed or left the active policy, so it lifts nothing. */
export type ExemptionStatus = 'active' | 'superseded' | 'expired' | 'revoked';

/** An exemption as admins see it; times are ISO 8601. */
export interface ExemptionView {
  id: string;
  userId: string;
  scope: ExemptionScope;
  ruleId: string | null;
  reason: string;
  grantedBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  status: ExemptionStatus;
}

/** `engine.exemptions`: what an admin (or the host's own tooling) does with exemptions. */
export interface MfaExemptions {
  /** Checked (scope, rule, reason, at most 90 days), stored, audited with `admin`, then told to the user. */
  grant(admin: MfaSubject, userId: string, input: GrantExemptionInput): Promise<ExemptionView>;
  /** Newest first, ended ones included until retention deletes them. */
  list(userId: string): Promise<ExemptionView[]>;
  /** Ends one in force at once; else EXEMPTION_NOT_FOUND. */
  revoke(admin: MfaSubject, userId: string, id: string): Promise<ExemptionView>;
}

/** The exemption that lifts a layer, as `explain` names it. */
export interface AppliedExemption {
  id: string;
  expiresAt: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function exemptionStatus(r: ExemptionRecord, now: number, policy: CompiledPolicy): ExemptionStatus {
  if (r.revokedAt !== null) return 'revoked';
  if (r.expiresAt <= now) return 'expired';
  return r.scope === 'rule' && !stillNamesRule(policy, r) ? 'superseded' : 'active';
}

export function exemptionView(r: ExemptionRecord, now: number, policy: CompiledPolicy): ExemptionView {
  return {
    id: r.id,
    userId: r.userId,
    scope: r.scope,
    ruleId: r.ruleId,
    reason: r.reason,
    grantedBy: r.grantedBy,
    createdAt: iso(r.createdAt),
    expiresAt: iso(r.expiresAt),
    revokedAt: r.revokedAt === null ? null : iso(r.revokedAt),
    revokedBy: r.revokedBy,
    status: exemptionStatus(r, now, policy),
  };
}

export const appliedExemption = (r: ExemptionRecord): AppliedExemption => ({ id: r.id, expiresAt: iso(r.expiresAt) });

/** Of several in force for one scope, the one that runs longest is the one to name. */
export function longestRunning(records: readonly ExemptionRecord[]): ExemptionRecord | undefined {
  return records.reduce<ExemptionRecord | undefined>((a, b) => (!a || b.expiresAt > a.expiresAt ? b : a), undefined);
}

/**
 * A document rule that requires a factor: the only layer an exemption can lift. Routes'
 * own requirements, services, operations and deny rules are not (a rule id alone cannot
 * tell, since a document rule may be named like a service: the source does).
 */
export function liftableRule(policy: CompiledPolicy, ruleId: string): boolean {
  return policy.rules.some((r) => r.id === ruleId && r.source?.kind === 'rule' && r.requirement !== null);
}

/**
 * The rules the user's exemptions lift, for `Evidence.exemptRules`: each by id and by the
 * fingerprint the rule had at the grant. One granted before fingerprints (none stored) lifts nothing.
 */
export function exemptRuleIds(records: readonly ExemptionRecord[]): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const r of records)
    if (r.scope === 'rule' && r.ruleId !== null && r.ruleFingerprint)
      keys.add(exemptionKey(r.ruleId, r.ruleFingerprint));
  return keys;
}

/** Whether the active policy still has the very rule this exemption was granted for. */
export function stillNamesRule(
  policy: CompiledPolicy,
  r: Pick<ExemptionRecord, 'ruleId' | 'ruleFingerprint'>,
): boolean {
  return policy.rules.some(
    (rule) => rule.id === r.ruleId && !!r.ruleFingerprint && rule.fingerprint === r.ruleFingerprint,
  );
}

/** The fingerprint of the active policy's rule an exemption will be bound to. */
export function fingerprintOf(policy: CompiledPolicy, ruleId: string): string | undefined {
  return policy.rules.find((r) => r.id === ruleId && r.source?.kind === 'rule')?.fingerprint;
}
