import { createHash } from 'node:crypto';
import type { FactorType } from '../factors/factor-type';
import type { PolicyConditions, PolicyDocument, PolicyRule, RequirementSpec, StepSpec } from './policy-document';
import { FACTOR_TYPES, Requirement, RequirementStep } from './requirement';

/** Where a rule came from. Ids cannot tell: a document rule may be named `route` or `service:x`. */
export type RuleSource =
  | { kind: 'route' }
  | { kind: 'default' }
  | { kind: 'service'; service: string }
  | { kind: 'operation'; service: string; operation: string }
  | { kind: 'rule'; ruleId: string; description?: string };

export interface CompiledRule {
  id: string;
  when: PolicyConditions;
  /** null for a deny rule. */
  requirement: Requirement | null;
  /** Read by `explain`, and by `decide` only to tell a document rule a user's exemption may lift. */
  source?: RuleSource;
  /**
   * A document rule's own hash (what it matches and requires, not its description or place).
   * An exemption is bound to it, so it lifts the rule the admin saw and never a later rule
   * that reuses the id.
   */
  fingerprint?: string;
}

/** A policy version compiled once into what each request needs: no parsing on the hot path. */
export interface CompiledPolicy {
  version: number;
  contentHash: string;
  enabled: readonly FactorType[];
  /** Failed primary attempts on a challenge before email is offered; null: email is a factor like any. */
  emailFallbackAfter: number | null;
  /** A passkey with user verification may meet two consecutive steps of a chain (policy `methods.passkeyAsTwoFactors`). */
  passkeyAsTwoFactors: boolean;
  unmapped: Requirement;
  devices: { remember: boolean; trustMs: number; revokeAtRisk: number | null };
  /** null: enrollment is not mandatory. */
  enrollment: { everyone: boolean; groups: string[]; graceMs: number } | null;
  machineExempt: boolean;
  continuous: { countryChange: boolean; riskIncrease?: number; trustDrop: boolean };
  serviceGroup: ReadonlyMap<string, string>;
  serviceSensitivity: ReadonlyMap<string, string[]>;
  /** Implicit rules from services and operations first, then the document's rules, in order. */
  rules: CompiledRule[];
}

export function compileStep(spec: StepSpec): RequirementStep {
  if (typeof spec === 'string') return { factors: spec === 'any' ? 'any' : [spec] };
  const step: RequirementStep = {
    factors: spec.any ? 'any' : spec.factor ? [spec.factor] : [...new Set(spec.anyOf!)].sort(),
  };
  if (spec.maxAge !== undefined) step.maxAge = spec.maxAge;
  if (spec.allowTrustedDevice) step.allowTrustedDevice = true;
  if (spec.phishingResistant) step.phishingResistant = true;
  if (spec.minAal !== undefined) step.minAal = spec.minAal;
  return step;
}

export function compileRequirement(spec: RequirementSpec): Requirement {
  if (spec === 'none') return { steps: [] };
  if (typeof spec === 'object' && 'chain' in spec) return { steps: spec.chain.map(compileStep) };
  return { steps: [compileStep(spec)] };
}

/** Key order does not change the hash: two equal documents have one hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function policyHash(doc: PolicyDocument): string {
  return createHash('sha256').update(canonicalJson(doc)).digest('hex');
}

/** What a rule's `serviceGroups` and `sensitivity` conditions resolve to through the document's services. */
interface ServiceMaps {
  serviceGroup: ReadonlyMap<string, string>;
  serviceSensitivity: ReadonlyMap<string, string[]>;
}

/**
 * Rewording a description or moving the rule keeps its fingerprint; changing what it matches
 * or needs does not, including a service joining a group or a label the rule names (the
 * document's own services and operations; labels a route sets in code are not bound).
 */
export function ruleFingerprint(rule: PolicyRule, maps: ServiceMaps): string {
  const { id, when, require, deny } = rule;
  const members = (keep: (key: string) => boolean, keys: Iterable<string>) => [...keys].filter(keep).sort();
  const groups = (when?.serviceGroups ?? []).map((g) => [
    g,
    members((svc) => maps.serviceGroup.get(svc) === g, maps.serviceGroup.keys()),
  ]);
  const labels = (when?.sensitivity ?? []).map((label) => [
    label,
    members((key) => maps.serviceSensitivity.get(key)!.includes(label), maps.serviceSensitivity.keys()),
  ]);
  return createHash('sha256')
    .update(canonicalJson({ id, when: when ?? {}, require, deny: deny || undefined, groups, labels }))
    .digest('hex');
}

/**
 * Compiles a document that `validatePolicy` accepted. `available`: the factors this deployment
 * can serve (passkeys only with `webauthn` options); nothing else is enabled.
 */
export function compilePolicy(
  doc: PolicyDocument,
  version: number,
  available: readonly FactorType[] = FACTOR_TYPES,
): CompiledPolicy {
  const rules: CompiledRule[] = [];
  const serviceGroup = new Map<string, string>();
  const serviceSensitivity = new Map<string, string[]>();
  for (const [service, spec] of Object.entries(doc.services ?? {})) {
    if (spec.group) serviceGroup.set(service, spec.group);
    if (spec.sensitivity) serviceSensitivity.set(service, spec.sensitivity);
    if (spec.require)
      rules.push({
        id: `service:${service}`,
        when: { services: [service] },
        requirement: compileRequirement(spec.require),
        source: { kind: 'service', service },
      });
    for (const [operation, op] of Object.entries(spec.operations ?? {})) {
      if (op.sensitivity) serviceSensitivity.set(`${service}/${operation}`, op.sensitivity);
      if (op.require) {
        rules.push({
          id: `operation:${service}/${operation}`,
          when: { services: [service], operations: [operation] },
          requirement: compileRequirement(op.require),
          source: { kind: 'operation', service, operation },
        });
      }
    }
  }
  for (const rule of doc.rules ?? []) {
    const source: RuleSource = rule.description
      ? { kind: 'rule', ruleId: rule.id, description: rule.description }
      : { kind: 'rule', ruleId: rule.id };
    rules.push({
      id: rule.id,
      when: rule.when ?? {},
      requirement: rule.deny ? null : compileRequirement(rule.require!),
      source,
      fingerprint: ruleFingerprint(rule, { serviceGroup, serviceSensitivity }),
    });
  }
  return {
    version,
    contentHash: policyHash(doc),
    enabled: (doc.methods?.enabled ?? FACTOR_TYPES).filter((f) => available.includes(f)),
    emailFallbackAfter: doc.methods?.emailFallbackAfter ?? null,
    passkeyAsTwoFactors: doc.methods?.passkeyAsTwoFactors ?? false,
    unmapped: compileRequirement(doc.defaults?.unmapped ?? 'none'),
    devices: {
      remember: doc.devices?.remember ?? true,
      trustMs: (doc.devices?.trustDays ?? 30) * 86_400_000,
      revokeAtRisk: doc.devices?.revokeAtRisk ?? null,
    },
    enrollment: doc.enrollment
      ? {
          everyone: doc.enrollment.required === 'everyone',
          groups: doc.enrollment.required === 'everyone' ? [] : doc.enrollment.required.groups,
          graceMs: (doc.enrollment.graceDays ?? 7) * 86_400_000,
        }
      : null,
    machineExempt: doc.machinePrincipals === 'exempt',
    continuous: {
      countryChange: doc.continuous?.countryChange ?? false,
      riskIncrease: doc.continuous?.riskIncrease,
      trustDrop: doc.continuous?.trustDrop ?? false,
    },
    serviceGroup,
    serviceSensitivity,
    rules,
  };
}
