import type { FactorType } from '../factors/factor-type';
import { acceptedFactors, type RequirementStep } from './requirement';

/**
 * A step as every HTTP answer shows it. `factors` is always a list, so clients never
 * special-case a string; `any: true` still tells them the step takes whatever the active
 * policy enables, so the list may change with `methods.enabled`.
 */
export interface RequirementStepView {
  factors: FactorType[];
  any?: true;
  maxAge?: number;
  allowTrustedDevice?: boolean;
  phishingResistant?: true;
  minAal?: 2 | 3;
}

/** `enabled`: the active policy's `methods.enabled`, which is what the engine accepts for "any". */
export function stepView(step: RequirementStep, enabled: readonly FactorType[]): RequirementStepView {
  // Sorted like explicit lists (compileStep, buildRequirement), so equal demands look equal.
  const view: RequirementStepView =
    step.factors === 'any'
      ? { factors: acceptedFactors(step, enabled).sort(), any: true }
      : { factors: [...step.factors] };
  if (step.maxAge !== undefined) view.maxAge = step.maxAge;
  if (step.allowTrustedDevice) view.allowTrustedDevice = true;
  if (step.phishingResistant) view.phishingResistant = true;
  if (step.minAal) view.minAal = step.minAal;
  return view;
}

export function stepsView(steps: readonly RequirementStep[], enabled: readonly FactorType[]): RequirementStepView[] {
  return steps.map((s) => stepView(s, enabled));
}
