import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import type { FactorType } from '../ports/mfa-store.port';

export const FACTOR_TYPES: readonly FactorType[] = ['totp', 'backup_code'];

/**
 * What a route demands. `none` opts out; `any` accepts any enrolled factor; `anyOf`
 * names the acceptable factors. `maxAge` (seconds) demands a verification at most
 * that old within this session: the step-up "sudo window".
 */
export type Requirement =
  | { kind: 'none' }
  | { kind: 'any'; maxAge?: number }
  | { kind: 'anyOf'; factors: FactorType[]; maxAge?: number };

export interface RequirementInput {
  /** Acceptable factors. @default any enrolled factor */
  factors?: FactorType[];
  /** Freshness in seconds. @default no limit within the session */
  maxAge?: number;
}

export const NO_REQUIREMENT: Requirement = { kind: 'none' };

export function buildRequirement(input: RequirementInput = {}): Requirement {
  const { factors, maxAge } = input;
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge <= 0)) {
    throw new MfaConfigurationError(`maxAge must be a positive whole number of seconds (got ${maxAge}).`);
  }
  const freshness = maxAge === undefined ? {} : { maxAge };
  if (!factors || factors.length === 0) return { kind: 'any', ...freshness };
  for (const factor of factors) {
    if (!FACTOR_TYPES.includes(factor)) {
      throw new MfaConfigurationError(`Unknown factor "${factor}". Known factors: ${FACTOR_TYPES.join(', ')}.`);
    }
  }
  return { kind: 'anyOf', factors: [...new Set(factors)].sort(), ...freshness };
}

export function acceptedFactors(requirement: Requirement): readonly FactorType[] {
  if (requirement.kind === 'none') return [];
  return requirement.kind === 'any' ? FACTOR_TYPES : requirement.factors;
}

/** A canonical key, so one pending challenge serves every request with the same demand. */
export function requirementKey(requirement: Requirement): string {
  if (requirement.kind === 'none') return 'none';
  const factors = requirement.kind === 'any' ? '*' : requirement.factors.join(',');
  return `${factors};maxAge=${requirement.maxAge ?? '-'}`;
}
