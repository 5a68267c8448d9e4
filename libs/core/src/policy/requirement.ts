import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { highestAal, type Aal } from '../factors/assurance';
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
  /** Only a verification bound to the origin (WebAuthn) satisfies the step. */
  phishingResistant?: true;
  /** The lowest NIST AAL a verification must reach (email reaches 1, synced passkeys 2, device-bound 3). */
  minAal?: 2 | 3;
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
  /** Only a passkey (WebAuthn) satisfies the step: nothing a phishing page can relay. @default false */
  phishingResistant?: boolean;
  /** The lowest NIST 800-63B AAL the verification must reach. @default none */
  minAal?: 2 | 3;
}

export function buildRequirement(input: RequirementInput = {}): Requirement {
  const { factors, maxAge, allowTrustedDevice, phishingResistant, minAal } = input;
  if (minAal !== undefined && minAal !== 2 && minAal !== 3)
    throw new MfaConfigurationError(`minAal must be 2 or 3 (got ${minAal}).`);
  if (allowTrustedDevice && (phishingResistant || minAal !== undefined))
    throw new MfaConfigurationError(
      'allowTrustedDevice never satisfies a phishing-resistant or minAal step: drop one.',
    );
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
  if (phishingResistant) step.phishingResistant = true;
  if (minAal !== undefined) step.minAal = minAal;
  if (acceptedFactors(step).length === 0)
    throw new MfaConfigurationError(
      `No factor among ${factors?.join(', ')} can meet ${phishingResistant ? 'phishingResistant' : `minAal ${minAal}`}: add 'webauthn'.`,
    );
  return { steps: [step] };
}

/** The factors that can meet the step: listed (or enabled), phishing-resistant if asked, able to reach `minAal`. */
export function acceptedFactors(step: RequirementStep, enabled: readonly FactorType[] = FACTOR_TYPES): FactorType[] {
  const listed = step.factors === 'any' ? [...enabled] : step.factors.filter((f) => enabled.includes(f));
  return listed.filter(
    (f) => (!step.phishingResistant || f === 'webauthn') && (step.minAal === undefined || highestAal(f) >= step.minAal),
  );
}

/** Whether one verification is strong enough for the step, whatever its factor type. */
export function meetsAssurance(step: RequirementStep, factor: FactorType, aal: Aal): boolean {
  return (!step.phishingResistant || factor === 'webauthn') && aal >= (step.minAal ?? 1);
}

export function isSingleUse(step: RequirementStep): boolean {
  return step.maxAge === 0;
}

/** A canonical key, so one pending challenge serves every request with the same demand. */
export function stepsKey(steps: readonly RequirementStep[]): string {
  return steps
    .map(
      (s) =>
        `${s.factors === 'any' ? '*' : s.factors.join(',')}@${s.maxAge ?? '-'}${s.allowTrustedDevice ? '+td' : ''}` +
        `${s.phishingResistant ? '+pr' : ''}${s.minAal ? `+aal${s.minAal}` : ''}`,
    )
    .join('>');
}
