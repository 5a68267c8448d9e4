import type { RiskProfile } from '../ports/risk-history.port';
import type { RiskObservation } from './risk-observation';
import type { RiskSignals } from './risk-signals';

const EARTH_RADIUS_KM = 6371.0088;
/** How far apart two instances' clocks may plausibly be. */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/** Great-circle distance (haversine), in km. */
export function haversineKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * From the last verified location to this request faster than `maxKmh`. Both accuracy
 * radii are taken off the distance first, so two fuzzy locations never add up to a trip
 * they cannot prove; elapsed time is the engine's clock, never the client's.
 *
 * A last location stamped after now was written by an instance whose clock is ahead: the
 * clocks disagree by at least that much, and the real interval is unknown. It counts as
 * that gap plus the skew tolerance (5 min), not as 0 minutes: 0 would make any trip past the
 * radii (Paris to Brussels) impossible, while Berlin to Tokyo still is in a few minutes.
 */
export function impossibleTravelSignal(
  profile: RiskProfile | undefined,
  observation: RiskObservation,
  maxKmh: number,
): RiskSignals['impossibleTravel'] {
  const last = profile?.lastLocation;
  const here = observation.location;
  if (!last || !here) return undefined;
  const km = haversineKm(last, here);
  const provable = km - (last.accuracyKm ?? 0) - here.accuracyKm;
  if (provable <= 0) return undefined;
  const elapsed = observation.at - last.at;
  const minutes = (elapsed >= 0 ? elapsed : CLOCK_SKEW_TOLERANCE_MS - elapsed) / 60_000;
  if (minutes > 0 && provable / (minutes / 60) <= maxKmh) return undefined;
  return { km: Math.round(km), minutes: Math.round(minutes) };
}
