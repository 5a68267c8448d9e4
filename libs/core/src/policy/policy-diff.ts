import type { CompiledPolicy, CompiledRule } from './compile-policy';
import type { Requirement } from './requirement';
import { conditionChanges, conditionWords, durationWords, requirementWords, setChanges } from './requirement-words';

export type DiffChange = 'added' | 'removed' | 'changed';

/** A service's (or one operation's) own requirement, and the rules aimed at it, before and after. */
export interface ServiceRequirementChange {
  service: string;
  /** Absent: the service as a whole. */
  operation?: string;
  change: DiffChange;
  /** Its own requirement in words; null where the version does not name it. */
  before: string | null;
  after: string | null;
  changes: string[];
}

/** A rule of the document (by id): its conditions and requirement, before and after. */
export interface RuleChange {
  ruleId: string;
  change: DiffChange;
  /** "when countries KP: deny"; null where the version lacks the rule. */
  before: string | null;
  after: string | null;
  changes: string[];
}

export interface SettingChange {
  setting: string;
  before: string;
  after: string;
}

export interface PolicyDiff {
  from: { version: number; contentHash: string };
  to: { version: number; contentHash: string };
  /** Same content: nothing below. */
  identical: boolean;
  services: ServiceRequirementChange[];
  rules: RuleChange[];
  settings: SettingChange[];
}

interface Unit {
  requirement?: Requirement;
  group?: string;
  sensitivity?: string[];
}

/**
 * What changes for whom between two versions, computed from the compiled policies (what the
 * guard decides with), never from the documents' text: reordered keys or reformatted JSON
 * change nothing here. Every applicable requirement holds together, so a rule's order only
 * changes which missing one a 401 names, and is not reported.
 */
export function diffPolicies(a: CompiledPolicy, b: CompiledPolicy): PolicyDiff {
  const rules = diffRules(a, b);
  return {
    from: { version: a.version, contentHash: a.contentHash },
    to: { version: b.version, contentHash: b.contentHash },
    identical: a.contentHash === b.contentHash,
    services: diffUnits(a, b, rules),
    rules,
    settings: diffSettings(a, b),
  };
}

function unitsOf(policy: CompiledPolicy): Map<string, Unit> {
  const units = new Map<string, Unit>();
  const unit = (key: string) => units.get(key) ?? units.set(key, {}).get(key)!;
  for (const [service, group] of policy.serviceGroup) unit(service).group = group;
  for (const [key, labels] of policy.serviceSensitivity) unit(key).sensitivity = labels;
  for (const rule of policy.rules) {
    const s = rule.source;
    if (s?.kind === 'service') unit(s.service).requirement = rule.requirement!;
    if (s?.kind === 'operation') unit(`${s.service}/${s.operation}`).requirement = rule.requirement!;
  }
  // An operation named only by its own entry still belongs to a service worth listing.
  for (const key of [...units.keys()]) if (key.includes('/')) unit(key.slice(0, key.indexOf('/')));
  return units;
}

function diffUnits(a: CompiledPolicy, b: CompiledPolicy, rules: RuleChange[]): ServiceRequirementChange[] {
  const before = unitsOf(a);
  const after = unitsOf(b);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: ServiceRequirementChange[] = [];
  for (const key of keys) {
    const [service, operation] = key.split('/') as [string, string | undefined];
    const was = before.get(key);
    const now = after.get(key);
    const words = (u: Unit | undefined) => (u ? requirementWords(u.requirement ?? { steps: [] }) : null);
    const changes: string[] = [];
    if (words(was) !== words(now) && was && now) changes.push(`requirement: ${words(was)} → ${words(now)}`);
    if (was?.group !== now?.group && was && now) changes.push(`group: ${was.group ?? 'none'} → ${now.group ?? 'none'}`);
    // Labels are a set: the same ones in another order change nothing.
    const labels = (u?: Unit) => (u?.sensitivity ?? []).join(', ') || 'none';
    const relabelled = setChanges(was?.sensitivity ?? [], now?.sensitivity ?? []);
    if ((relabelled.added.length || relabelled.removed.length) && was && now)
      changes.push(`sensitivity: ${labels(was)} → ${labels(now)}`);
    for (const rule of rules)
      if (
        aimsAt(ruleOf(a, rule.ruleId), a, service, operation) ||
        aimsAt(ruleOf(b, rule.ruleId), b, service, operation)
      )
        changes.push(`rule ${rule.ruleId} ${rule.change}: ${rule.before ?? '—'} → ${rule.after ?? '—'}`);
    const change: DiffChange | null = !was ? 'added' : !now ? 'removed' : changes.length ? 'changed' : null;
    if (!change) continue;
    const entry: ServiceRequirementChange = { service, change, before: words(was), after: words(now), changes };
    if (operation !== undefined) entry.operation = operation;
    out.push(entry);
  }
  return out;
}

const ruleOf = (policy: CompiledPolicy, id: string) =>
  policy.rules.find((r) => r.source?.kind === 'rule' && r.id === id);

/** A rule aimed at this service (by name or group), and at this operation when one is given. */
function aimsAt(rule: CompiledRule | undefined, policy: CompiledPolicy, service: string, operation?: string): boolean {
  if (!rule) return false;
  const w = rule.when;
  const group = policy.serviceGroup.get(service);
  const named = !!w.services?.includes(service) || (group !== undefined && !!w.serviceGroups?.includes(group));
  if (!named) return false;
  return operation === undefined ? !w.operations : !!w.operations?.includes(operation);
}

function diffRules(a: CompiledPolicy, b: CompiledPolicy): RuleChange[] {
  const docRules = (p: CompiledPolicy) => p.rules.filter((r) => r.source?.kind === 'rule');
  const ids = [...new Set([...docRules(a), ...docRules(b)].map((r) => r.id))];
  const words = (r?: CompiledRule) => (r ? `${conditionWords(r.when)}: ${requirementWords(r.requirement)}` : null);
  const out: RuleChange[] = [];
  for (const ruleId of ids) {
    const was = ruleOf(a, ruleId);
    const now = ruleOf(b, ruleId);
    if (!was || !now) {
      out.push({ ruleId, change: was ? 'removed' : 'added', before: words(was), after: words(now), changes: [] });
      continue;
    }
    const changes = conditionChanges(was.when, now.when);
    const [x, y] = [requirementWords(was.requirement), requirementWords(now.requirement)];
    if (x !== y) changes.push(`requirement: ${x} → ${y}`);
    const described = (r: CompiledRule) => (r.source?.kind === 'rule' ? (r.source.description ?? '') : '');
    if (described(was) !== described(now)) changes.push('description changed');
    if (changes.length) out.push({ ruleId, change: 'changed', before: words(was), after: words(now), changes });
  }
  return out;
}

function diffSettings(a: CompiledPolicy, b: CompiledPolicy): SettingChange[] {
  const enrollment = (p: CompiledPolicy) =>
    p.enrollment === null
      ? 'not required'
      : `${p.enrollment.everyone ? 'everyone' : `groups ${[...new Set(p.enrollment.groups)].sort().join(', ')}`}, ` +
        `${durationWords(p.enrollment.graceMs / 1000)} grace`;
  const read: Array<[string, (p: CompiledPolicy) => unknown]> = [
    ['methods.enabled', (p) => p.enabled.join(', ')],
    ['methods.emailFallbackAfter', (p) => p.emailFallbackAfter ?? 'off'],
    ['methods.passkeyAsTwoFactors', (p) => p.passkeyAsTwoFactors],
    ['defaults.unmapped', (p) => requirementWords(p.unmapped)],
    ['devices.remember', (p) => p.devices.remember],
    ['devices.trustDays', (p) => p.devices.trustMs / 86_400_000],
    ['devices.revokeAtRisk', (p) => p.devices.revokeAtRisk ?? 'never'],
    ['enrollment', enrollment],
    ['machinePrincipals', (p) => (p.machineExempt ? 'exempt' : 'enforce')],
    ['continuous.countryChange', (p) => p.continuous.countryChange],
    ['continuous.riskIncrease', (p) => p.continuous.riskIncrease ?? 'off'],
    ['continuous.trustDrop', (p) => p.continuous.trustDrop],
  ];
  return read
    .map(([setting, of]) => ({ setting, before: String(of(a)), after: String(of(b)) }))
    .filter((s) => s.before !== s.after);
}
