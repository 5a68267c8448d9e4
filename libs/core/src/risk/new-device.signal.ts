import type { RiskProfile } from '../ports/risk-history.port';
import type { RiskObservation } from './risk-observation';
import type { RiskSignals } from './risk-signals';

/**
 * A browser and OS family the user never verified from. Nothing fires before the first
 * verified family is known: with no history every first sign-in would look new, and
 * challenging everyone teaches nothing (docs/risk.md, "first sign-in").
 */
export function newDeviceSignal(
  profile: RiskProfile | undefined,
  observation: RiskObservation,
): RiskSignals['newDevice'] {
  const family = observation.deviceFamily;
  if (!family || !profile || Object.keys(profile.deviceFamilies).length === 0) return undefined;
  return Object.hasOwn(profile.deviceFamilies, family) ? undefined : { family };
}
