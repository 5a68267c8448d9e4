import type { FactorType } from '../factors/factor-type';
import type { PolicyConditions } from './policy-document';
import type { Requirement, RequirementStep } from './requirement';

const FACTOR_WORDS: Record<FactorType, string> = {
  totp: 'TOTP',
  sms: 'SMS code',
  email: 'email code',
  backup_code: 'backup code',
  webauthn: 'passkey',
};

/** 300 → "5 min": the unit a policy author would have written. */
export function durationWords(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** "passkey (phishing-resistant), every time"; "TOTP or backup code, 10 min, or a trusted device". */
export function stepWords(step: RequirementStep): string {
  const factors = step.factors === 'any' ? 'any factor' : step.factors.map((f) => FACTOR_WORDS[f] ?? f).join(' or ');
  const strength = [step.phishingResistant && 'phishing-resistant', step.minAal && `AAL${step.minAal}`].filter(Boolean);
  const fresh =
    step.maxAge === undefined ? 'once per session' : step.maxAge === 0 ? 'every time' : durationWords(step.maxAge);
  const device = step.allowTrustedDevice ? ', or a trusted device' : '';
  return `${factors}${strength.length ? ` (${strength.join(', ')})` : ''}, ${fresh}${device}`;
}

/** A requirement in words; `null` is a deny rule. */
export function requirementWords(requirement: Requirement | null): string {
  if (requirement === null) return 'deny';
  if (requirement.steps.length === 0) return 'nothing';
  return requirement.steps.map(stepWords).join(', then ');
}

/** A rule's conditions in words, keys in document order: "countries KP; minRisk 0.7". */
export function conditionWords(when: PolicyConditions): string {
  const parts = Object.entries(when)
    .filter(([, v]) => v !== undefined)
    .map(([key, value]) => `${key} ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  return parts.length ? parts.join('; ') : 'always';
}

/**
 * What changed in a rule's conditions, key by key: "countries +KP −CU", "minRisk 0.7 → 0.5".
 * A list is a set: the same values in another order (or repeated) change nothing.
 */
export function conditionChanges(before: PolicyConditions, after: PolicyConditions): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])] as Array<keyof PolicyConditions>;
  const changes: string[] = [];
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (Array.isArray(a) || Array.isArray(b)) {
      const was = (a ?? []) as string[];
      const now = (b ?? []) as string[];
      if (a === undefined) changes.push(`when ${key} ${now.join(', ')} added`);
      else if (b === undefined) changes.push(`when ${key} ${was.join(', ')} removed`);
      else {
        const { added, removed } = setChanges(was, now);
        if (added.length || removed.length)
          changes.push(`when ${key} ${[...added.map((v) => `+${v}`), ...removed.map((v) => `−${v}`)].join(' ')}`);
      }
    } else if (a === b) continue;
    else if (a === undefined) changes.push(`when ${key} ${String(b)} added`);
    else if (b === undefined) changes.push(`when ${key} ${String(a)} removed`);
    else changes.push(`when ${key} ${String(a)} → ${String(b)}`);
  }
  return changes;
}

/** Two lists compared as sets: the values only `after` has, and those only `before` has, each once, in list order. */
export function setChanges<T>(before: readonly T[], after: readonly T[]): { added: T[]; removed: T[] } {
  const was = new Set(before);
  const now = new Set(after);
  return { added: [...now].filter((v) => !was.has(v)), removed: [...was].filter((v) => !now.has(v)) };
}
