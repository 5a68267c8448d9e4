import type { FactorType } from '../factors/factor-type';
import { FACTOR_TYPES } from './requirement';
import { checkStepAssurance } from './step-assurance.rules';

export interface PolicyProblem {
  /** JSON path of the offending value, e.g. `$.rules[2].require.chain[1].maxAge`. */
  path: string;
  message: string;
}

type Check = (value: unknown, path: string) => void;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Validates an untrusted policy document; every problem names the path it is at. */
export function validatePolicy(doc: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const fail = (path: string, message: string) => problems.push({ path, message });

  const keys = (v: unknown, path: string, allowed: string[]): v is Record<string, unknown> => {
    if (!isObject(v)) return (fail(path, 'expected an object'), false);
    for (const k of Object.keys(v))
      if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown field; expected one of: ${allowed.join(', ')}`);
    return true;
  };
  const stringList =
    (pattern: RegExp, what: string): Check =>
    (v, path) => {
      if (!Array.isArray(v) || v.length === 0) return fail(path, `expected a non-empty array of ${what}`);
      v.forEach((s, i) => (typeof s !== 'string' || !pattern.test(s)) && fail(`${path}[${i}]`, `expected ${what}`));
    };
  const factor = (v: unknown, path: string) =>
    !FACTOR_TYPES.includes(v as FactorType) &&
    fail(path, `unknown factor ${JSON.stringify(v)}; known factors: ${FACTOR_TYPES.join(', ')}`);
  const unit = (v: unknown, path: string) =>
    (typeof v !== 'number' || !(v >= 0 && v <= 1)) && fail(path, 'expected a number from 0 to 1');
  const bool = (v: unknown, path: string) => typeof v !== 'boolean' && fail(path, 'expected true or false');

  const step = (v: unknown, path: string): void => {
    if (typeof v === 'string') return void (v !== 'any' && factor(v, path));
    if (!keys(v, path, ['factor', 'anyOf', 'any', 'maxAge', 'allowTrustedDevice', 'phishingResistant', 'minAal']))
      return;
    const forms = ['factor', 'anyOf', 'any'].filter((k) => v[k] !== undefined);
    if (forms.length !== 1) fail(path, 'a step names exactly one of: factor, anyOf, any');
    if (v.factor !== undefined) factor(v.factor, `${path}.factor`);
    if (v.anyOf !== undefined) {
      if (!Array.isArray(v.anyOf) || v.anyOf.length === 0)
        fail(`${path}.anyOf`, 'expected a non-empty array of factors');
      else v.anyOf.forEach((f, i) => factor(f, `${path}.anyOf[${i}]`));
    }
    if (v.any !== undefined && v.any !== true) fail(`${path}.any`, 'expected true');
    if (v.maxAge !== undefined && (!Number.isInteger(v.maxAge) || (v.maxAge as number) < 0)) {
      fail(`${path}.maxAge`, 'expected whole seconds, 0 or more (0 = a single-use grant for the operation)');
    }
    if (v.allowTrustedDevice !== undefined) bool(v.allowTrustedDevice, `${path}.allowTrustedDevice`);
    if (v.allowTrustedDevice === true && v.maxAge !== undefined) {
      fail(`${path}.allowTrustedDevice`, 'a trusted device never satisfies a step with maxAge');
    }
    checkStepAssurance(v, path, fail);
  };
  const requirement = (v: unknown, path: string): void => {
    if (v === 'none') return;
    if (isObject(v) && 'chain' in v) {
      if (!keys(v, path, ['chain'])) return;
      if (!Array.isArray(v.chain) || v.chain.length === 0)
        return void fail(`${path}.chain`, 'expected a non-empty array of steps');
      v.chain.forEach((s, i) => step(s, `${path}.chain[${i}]`));
      overlappingSteps(v.chain, `${path}.chain`, fail);
      return;
    }
    step(v, path);
  };
  const conditions = (v: unknown, path: string) => {
    const fields = [
      'services',
      'serviceGroups',
      'operations',
      'groups',
      'notGroups',
      'countries',
      'notCountries',
      'minRisk',
      'deviceTrusted',
      'minDeviceTrust',
      'sensitivity',
      'machine',
    ];
    if (!keys(v, path, fields)) return;
    for (const k of ['services', 'serviceGroups', 'operations', 'groups', 'notGroups', 'sensitivity'])
      if (v[k] !== undefined) stringList(NAME, 'names')(v[k], `${path}.${k}`);
    for (const k of ['countries', 'notCountries'])
      if (v[k] !== undefined)
        stringList(/^([A-Z]{2}|unknown)$/, 'ISO country codes (upper case) or "unknown"')(v[k], `${path}.${k}`);
    for (const k of ['minRisk', 'minDeviceTrust']) if (v[k] !== undefined) unit(v[k], `${path}.${k}`);
    for (const k of ['deviceTrusted', 'machine']) if (v[k] !== undefined) bool(v[k], `${path}.${k}`);
  };

  if (
    !keys(doc, '$', [
      'methods',
      'defaults',
      'devices',
      'enrollment',
      'machinePrincipals',
      'continuous',
      'services',
      'rules',
    ])
  )
    return problems;
  if (doc.devices !== undefined && keys(doc.devices, '$.devices', ['remember', 'trustDays', 'revokeAtRisk'])) {
    const d = doc.devices;
    if (d.remember !== undefined) bool(d.remember, '$.devices.remember');
    if (
      d.trustDays !== undefined &&
      !(Number.isInteger(d.trustDays) && (d.trustDays as number) >= 1 && (d.trustDays as number) <= 365)
    ) {
      fail('$.devices.trustDays', 'expected a whole number of days from 1 to 365');
    }
    if (d.revokeAtRisk !== undefined) unit(d.revokeAtRisk, '$.devices.revokeAtRisk');
  }
  if (doc.enrollment !== undefined && keys(doc.enrollment, '$.enrollment', ['required', 'graceDays'])) {
    const e = doc.enrollment;
    if (
      e.required !== 'everyone' &&
      !(
        e.required &&
        typeof e.required === 'object' &&
        keys(e.required, '$.enrollment.required', ['groups']) &&
        Array.isArray(e.required.groups) &&
        e.required.groups.length > 0
      )
    ) {
      fail('$.enrollment.required', 'expected "everyone" or { "groups": [ … ] }');
    } else if (e.required !== 'everyone') stringList(NAME, 'names')(e.required.groups, '$.enrollment.required.groups');
    if (
      e.graceDays !== undefined &&
      !(Number.isInteger(e.graceDays) && (e.graceDays as number) >= 0 && (e.graceDays as number) <= 365)
    ) {
      fail('$.enrollment.graceDays', 'expected a whole number of days from 0 to 365');
    }
  }
  if (
    doc.methods !== undefined &&
    keys(doc.methods, '$.methods', ['enabled', 'emailFallbackAfter', 'passkeyAsTwoFactors'])
  ) {
    const enabled = doc.methods.enabled;
    if (enabled !== undefined && (!Array.isArray(enabled) || enabled.length === 0))
      fail('$.methods.enabled', 'expected a non-empty array of factors');
    else enabled?.forEach((f, i) => factor(f, `$.methods.enabled[${i}]`));
    if (doc.methods.passkeyAsTwoFactors !== undefined)
      bool(doc.methods.passkeyAsTwoFactors, '$.methods.passkeyAsTwoFactors');
    const after = doc.methods.emailFallbackAfter;
    if (after !== undefined && !(Number.isInteger(after) && (after as number) >= 1 && (after as number) <= 20)) {
      fail('$.methods.emailFallbackAfter', 'expected a whole number of failed attempts from 1 to 20');
    }
  }
  if (
    doc.defaults !== undefined &&
    keys(doc.defaults, '$.defaults', ['unmapped']) &&
    doc.defaults.unmapped !== undefined
  ) {
    requirement(doc.defaults.unmapped, '$.defaults.unmapped');
  }
  if (doc.machinePrincipals !== undefined && !['exempt', 'enforce'].includes(doc.machinePrincipals as string)) {
    fail('$.machinePrincipals', 'expected "exempt" or "enforce"');
  }
  if (
    doc.continuous !== undefined &&
    keys(doc.continuous, '$.continuous', ['countryChange', 'riskIncrease', 'trustDrop'])
  ) {
    const c = doc.continuous;
    if (c.countryChange !== undefined) bool(c.countryChange, '$.continuous.countryChange');
    if (c.trustDrop !== undefined) bool(c.trustDrop, '$.continuous.trustDrop');
    if (c.riskIncrease !== undefined) unit(c.riskIncrease, '$.continuous.riskIncrease');
  }
  if (doc.services !== undefined && keys(doc.services, '$.services', Object.keys(doc.services as object))) {
    for (const [name, svc] of Object.entries(doc.services)) {
      const path = `$.services.${name}`;
      if (!NAME.test(name)) fail(path, 'service names use letters, digits, ".", "_" or "-"');
      if (!keys(svc, path, ['group', 'sensitivity', 'require', 'operations'])) continue;
      if (svc.group !== undefined && (typeof svc.group !== 'string' || !NAME.test(svc.group)))
        fail(`${path}.group`, 'expected a name');
      if (svc.sensitivity !== undefined) stringList(NAME, 'labels')(svc.sensitivity, `${path}.sensitivity`);
      if (svc.require !== undefined) requirement(svc.require, `${path}.require`);
      if (
        svc.operations !== undefined &&
        keys(svc.operations, `${path}.operations`, Object.keys(svc.operations as object))
      ) {
        for (const [op, spec] of Object.entries(svc.operations)) {
          const opPath = `${path}.operations.${op}`;
          if (!NAME.test(op)) fail(opPath, 'operation names use letters, digits, ".", "_" or "-"');
          if (!keys(spec, opPath, ['sensitivity', 'require'])) continue;
          if (spec.sensitivity !== undefined) stringList(NAME, 'labels')(spec.sensitivity, `${opPath}.sensitivity`);
          if (spec.require !== undefined) requirement(spec.require, `${opPath}.require`);
        }
      }
    }
  }
  if (doc.rules !== undefined) {
    if (!Array.isArray(doc.rules)) fail('$.rules', 'expected an array of rules');
    else {
      const seen = new Set<string>();
      doc.rules.forEach((rule, i) => {
        const path = `$.rules[${i}]`;
        if (!keys(rule, path, ['id', 'description', 'when', 'require', 'deny'])) return;
        if (typeof rule.id !== 'string' || !RULE_ID.test(rule.id))
          fail(`${path}.id`, 'expected an id of letters, digits, ".", "_", ":" or "-"');
        else if (seen.has(rule.id)) fail(`${path}.id`, `duplicate rule id "${rule.id}"`);
        else seen.add(rule.id);
        if (rule.description !== undefined && typeof rule.description !== 'string')
          fail(`${path}.description`, 'expected a string');
        if (rule.when !== undefined) conditions(rule.when, `${path}.when`);
        if ((rule.require === undefined) === (rule.deny === undefined))
          fail(path, 'a rule has exactly one of: require, deny');
        if (rule.deny !== undefined && rule.deny !== true) fail(`${path}.deny`, 'expected true');
        if (rule.require !== undefined) requirement(rule.require, `${path}.require`);
      });
    }
  }
  return problems;
}

/**
 * Two non-single-use steps of a chain that accept the same factor could be met by one
 * verification; refuse them so a chain always means distinct verifications in order.
 */
function overlappingSteps(chain: unknown[], path: string, fail: (path: string, message: string) => void): void {
  const accepts = (s: unknown): string[] | null => {
    if (typeof s === 'string') return s === 'any' ? [...FACTOR_TYPES] : [s];
    if (!isObject(s) || s.maxAge === 0) return null;
    if (s.any) return [...FACTOR_TYPES];
    return s.factor ? [s.factor as string] : Array.isArray(s.anyOf) ? (s.anyOf as string[]) : [];
  };
  const sets = chain.map(accepts);
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const shared = sets[i]?.find((f) => sets[j]?.includes(f));
      if (shared)
        fail(
          `${path}[${j}]`,
          `accepts "${shared}" like step ${i}; merge the steps or make the later one single-use (maxAge: 0)`,
        );
    }
  }
}
