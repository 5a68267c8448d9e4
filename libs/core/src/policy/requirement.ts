import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { FACTOR_TYPES, type FactorType } from '../factors/factor-type';

export { FACTOR_TYPES };

/**
 * One step of a requirement. `maxAge` (seconds) is the sudo window; `maxAge: 0` is a
 * single-use grant for one operation, spent by the request it authorises.
 * `allowTrustedDevice` lets a trusted device stand in for a step that has no maxAge.
 */
export interface RequirementStep {
  factors: FactorType[] | 'any';
  maxAge?: number;
  allowTrustedDevice?: boolean;
}

/** Steps to be verified in order within one session. No steps: nothing is required. */
export interface Requirement {
  steps: RequirementStep[];
}

export const NO_REQUIREMENT: Requirement = { steps: [] };

/** What `@RequireMfa()` / `@StepUp()` / `requireMfa()` accept: a single step. */
export interface RequirementInput {
  /** Acceptable factors. @default any enabled factor */
  factors?: FactorType[];
  /** Freshness in seconds; 0 makes a single-use grant (needs an operation). */
  maxAge?: number;
  /** @default false */
  allowTrustedDevice?: boolean;
}

export function buildRequirement(input: RequirementInput = {}): Requirement {
  const { factors, maxAge, allowTrustedDevice } = input;
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0)) {
    throw new MfaConfigurationError(`maxAge must be a whole number of seconds, 0 or more (got ${maxAge}).`);
  }
  for (const factor of factors ?? []) {
    if (!FACTOR_TYPES.includes(factor)) {
      throw new MfaConfigurationError(`Unknown factor "${factor}". Known factors: ${FACTOR_TYPES.join(', ')}.`);
    }
  }
  const step: RequirementStep = { factors: factors?.length ? [...new Set(factors)].sort() : 'any' };
  if (maxAge !== undefined) step.maxAge = maxAge;
  if (allowTrustedDevice) step.allowTrustedDevice = true;
  return { steps: [step] };
}

export function acceptedFactors(step: RequirementStep, enabled: readonly FactorType[] = FACTOR_TYPES): FactorType[] {
  return step.factors === 'any' ? [...enabled] : step.factors.filter((f) => enabled.includes(f));
}

export function isSingleUse(step: RequirementStep): boolean {
  return step.maxAge === 0;
}

/** A canonical key, so one pending challenge serves every request with the same demand. */
export function stepsKey(steps: readonly RequirementStep[]): string {
  return steps
    .map(
      (s) =>
        `${s.factors === 'any' ? '*' : s.factors.join(',')}@${s.maxAge ?? '-'}${s.allowTrustedDevice ? '+td' : ''}`,
    )
    .join('>');
}
