import type { RiskProfile } from '../ports/risk-history.port';
import type { RiskObservation } from './risk-observation';
import type { RiskSignals } from './risk-signals';

/**
 * An hour of day the user rarely verifies at: the share of their verifications within an
 * hour either side (so 9:59 after a habit of 9:00 is not unusual, nor a daylight-saving
 * shift) is below `maxShare`, once there are `minSamples` of them to judge by.
 */
export function unusualHourSignal(
  profile: RiskProfile | undefined,
  observation: RiskObservation,
  settings: { maxShare: number; minSamples: number },
): RiskSignals['unusualHour'] {
  const hours = profile?.hours;
  if (!hours || hours.length !== 24) return undefined;
  const total = hours.reduce((sum, n) => sum + n, 0);
  if (total < settings.minSamples) return undefined;
  const h = observation.hour;
  const near = hours[(h + 23) % 24] + hours[h] + hours[(h + 1) % 24];
  return near / total < settings.maxShare ? { hour: h } : undefined;
}
