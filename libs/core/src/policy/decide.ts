import type { Assurance } from '../factors/assurance';
import type { FactorType } from '../factors/factor-type';
import type { CompiledPolicy, CompiledRule } from './compile-policy';
import { evaluateChain } from './evaluate-chain';
import type { RequirementStep } from './requirement';
import { MfaTarget, RequestContext, scopeOf, VerificationBaseline } from './request-context';

export { evaluateChain };

/** MFA's own routes (AdminAccess checks `{ service: 'mfa', operation: 'admin' }`): no exemption lifts a rule there. */
export const MFA_SERVICE = 'mfa';
export type { ChainResult } from './evaluate-chain';

/** A factor this session verified: when, in what context, by which verification event. */
export interface VerifiedFactor {
  factor: FactorType;
  verifiedAt: number;
  eventId: string;
  baseline?: VerificationBaseline;
  assurance?: Assurance;
}

/** An unspent single-use authorisation for one scope (service/operation). */
export interface UnspentGrant {
  id: string;
  scope: string;
  factor: FactorType;
  createdAt: number;
  expiresAt: number;
  eventId: string;
  assurance?: Assurance;
}

export interface Evidence {
  userId: string;
  groups: readonly string[];
  verified: readonly VerifiedFactor[];
  grants: readonly UnspentGrant[];
  /**
   * The document rules an admin's exemption lifts for this user now, as `exemptionKey(id, fingerprint)`
   * (read only when one would ask): a rule that changed since the grant is not in it.
   */
  exemptRules?: ReadonlySet<string>;
}

/** A rule as an exemption names it: its id and the fingerprint it had when the exemption was granted. */
export const exemptionKey = (ruleId: string, fingerprint: string): string => `${ruleId}\n${fingerprint}`;

/** Why a verification stopped counting (`continuous` rules), as data, so no caller parses `reasons`. */
export type Drift =
  { kind: 'country'; from: string; to: string } | { kind: 'risk'; from: number; to: number } | { kind: 'trust' };

export type Decision =
  | { outcome: 'allow'; policyVersion: number; ruleIds: string[]; consumeGrants: string[]; reasons: string[] }
  | {
      outcome: 'challenge';
      policyVersion: number;
      ruleId: string;
      remaining: RequirementStep[];
      scope: string;
      reasons: string[];
      drift?: Drift;
    }
  | { outcome: 'deny'; policyVersion: number; ruleId: string; reasons: string[] };

/**
 * The whole decision, pure and deterministic: (policy, target, context, evidence, now) → Decision.
 * Every applicable requirement must hold (AND), checked in a fixed order — the route's own,
 * then services and operations, then rules as written — so the first one still missing is
 * the one the client is asked to satisfy, and `explain` can say why.
 */
export function decide(
  policy: CompiledPolicy,
  target: MfaTarget,
  context: RequestContext,
  evidence: Evidence,
  now: number,
): Decision {
  const policyVersion = policy.version;
  if (context.machine && policy.machineExempt) {
    return {
      outcome: 'allow',
      policyVersion,
      ruleIds: ['machine-principals'],
      consumeGrants: [],
      reasons: ['machine principals are exempt by policy'],
    };
  }
  const constraints = applicableConstraints(policy, target, context, evidence.groups);
  const deny = constraints.find((c) => c.requirement === null);
  if (deny)
    return { outcome: 'deny', policyVersion, ruleId: deny.id, reasons: [`rule ${deny.id} denies this request`] };

  const scope = scopeOf(target);
  const reasons: string[] = [];
  const consumeGrants: string[] = [];
  const liftable = evidence.exemptRules !== undefined && target.service !== MFA_SERVICE;
  for (const constraint of constraints) {
    // Only a document rule (never a route's own requirement, a service or an operation, whose ids a rule may share),
    // and never on the mfa service: an exemption must not lift what guards MFA's own admin routes.
    if (
      liftable &&
      constraint.source?.kind === 'rule' &&
      constraint.fingerprint !== undefined &&
      evidence.exemptRules!.has(exemptionKey(constraint.id, constraint.fingerprint))
    ) {
      reasons.push(`${constraint.id}: exempted`);
      continue;
    }
    const result = evaluateChain(constraint.requirement!.steps, policy, context, evidence, scope, now);
    if (!result.satisfied) {
      reasons.push(`${constraint.id}: ${result.reason}`);
      const drift = result.drift && { drift: result.drift };
      return {
        outcome: 'challenge',
        policyVersion,
        ruleId: constraint.id,
        remaining: result.remaining,
        scope,
        reasons,
        ...drift,
      };
    }
    reasons.push(`${constraint.id}: satisfied`);
    for (const id of result.grants) if (!consumeGrants.includes(id)) consumeGrants.push(id);
  }
  return { outcome: 'allow', policyVersion, ruleIds: constraints.map((c) => c.id), consumeGrants, reasons };
}

const ROUTE_SOURCE = { kind: 'route' } as const;
const DEFAULT_SOURCE = { kind: 'default' } as const;

export function applicableConstraints(
  policy: CompiledPolicy,
  target: MfaTarget,
  context: RequestContext,
  groups: readonly string[],
): CompiledRule[] {
  const mapped = target.service !== undefined || target.operation !== undefined || target.requirement !== undefined;
  // A route the app did not map to anything gets the documented default alone, never the rules.
  if (!mapped)
    return policy.unmapped.steps.length
      ? [{ id: 'default', when: {}, requirement: policy.unmapped, source: DEFAULT_SOURCE }]
      : [];
  const constraints: CompiledRule[] = [];
  if (target.requirement && target.requirement.steps.length)
    constraints.push({ id: 'route', when: {}, requirement: target.requirement, source: ROUTE_SOURCE });
  const sensitivity = new Set([
    ...(target.sensitivity ?? []),
    ...(policy.serviceSensitivity.get(target.service ?? '') ?? []),
    ...(policy.serviceSensitivity.get(scopeOf(target)) ?? []),
  ]);
  for (const rule of policy.rules)
    if (matches(rule, policy, target, context, groups, sensitivity)) constraints.push(rule);
  return constraints;
}

function matches(
  rule: CompiledRule,
  policy: CompiledPolicy,
  target: MfaTarget,
  context: RequestContext,
  groups: readonly string[],
  sensitivity: Set<string>,
): boolean {
  const w = rule.when;
  const country = context.country ?? 'unknown';
  if (w.services && !w.services.includes(target.service ?? '')) return false;
  if (w.serviceGroups && !w.serviceGroups.includes(policy.serviceGroup.get(target.service ?? '') ?? '')) return false;
  if (w.operations && !w.operations.includes(target.operation ?? '')) return false;
  if (w.groups && !w.groups.some((g) => groups.includes(g))) return false;
  if (w.notGroups && w.notGroups.some((g) => groups.includes(g))) return false;
  if (w.countries && !w.countries.includes(country)) return false;
  if (w.notCountries && w.notCountries.includes(country)) return false;
  if (w.minRisk !== undefined && (context.risk ?? 0) < w.minRisk) return false;
  if (w.deviceTrusted !== undefined && (context.deviceTrusted ?? false) !== w.deviceTrusted) return false;
  if (w.minDeviceTrust !== undefined && (context.deviceTrust ?? 0) < w.minDeviceTrust) return false;
  if (w.sensitivity && !w.sensitivity.some((label) => sensitivity.has(label))) return false;
  if (w.machine !== undefined && (context.machine ?? false) !== w.machine) return false;
  return true;
}
