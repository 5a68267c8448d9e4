import type { RiskProfile } from '../ports/risk-history.port';
import type { RiskObservation } from './risk-observation';

// Bounds keep a profile small whatever a client claims to be: the oldest entries go first.
const MAX_DEVICE_FAMILIES = 20;
const MAX_COUNTRIES = 50;
/** Past this many verifications every hour's count halves: the histogram follows a changing routine. */
const MAX_HOUR_SAMPLES = 200;

/**
 * The profile as the signals may read it: entries last seen before the retention window are
 * gone, whether or not the store has pruned them yet. A profile not written within the
 * window is no history at all, so a user back after a long absence starts over.
 */
export function liveProfile(
  profile: RiskProfile | undefined,
  now: number,
  retentionMs: number,
): RiskProfile | undefined {
  const since = now - retentionMs;
  if (!profile || profile.updatedAt < since) return undefined;
  const live: RiskProfile = {
    userId: profile.userId,
    deviceFamilies: recent(profile.deviceFamilies, since),
    countries: recent(profile.countries, since),
    hours: profile.hours?.length === 24 ? [...profile.hours] : new Array<number>(24).fill(0),
    updatedAt: profile.updatedAt,
  };
  if (profile.lastLocation && profile.lastLocation.at >= since) live.lastLocation = { ...profile.lastLocation };
  return live;
}

/**
 * What a successful verification teaches. Only ChallengeService calls it, after the factor
 * was accepted: a request that did not verify never adds its country, device or hour, so an
 * attacker cannot make their own location look familiar. Coordinates are kept to one
 * decimal degree (about 11 km); no address is kept at all.
 */
export function learnFrom(
  userId: string,
  previous: RiskProfile | undefined,
  observation: RiskObservation,
  retentionMs: number,
): RiskProfile {
  const at = observation.at;
  const base = liveProfile(previous, at, retentionMs);
  const deviceFamilies = { ...base?.deviceFamilies };
  if (observation.deviceFamily) deviceFamilies[observation.deviceFamily] = at;
  const countries = { ...base?.countries };
  if (observation.country) countries[observation.country] = at;
  const hours = base?.hours ?? new Array<number>(24).fill(0);
  hours[observation.hour] += 1;
  if (hours.reduce((sum, n) => sum + n, 0) > MAX_HOUR_SAMPLES)
    for (let h = 0; h < 24; h++) hours[h] = Math.floor(hours[h] / 2);
  const profile: RiskProfile = {
    userId,
    deviceFamilies: newest(deviceFamilies, MAX_DEVICE_FAMILIES),
    countries: newest(countries, MAX_COUNTRIES),
    hours,
    // Past the one it replaces even when clocks disagree: a write's condition is the `updatedAt` it read.
    updatedAt: previous ? Math.max(at, previous.updatedAt + 1) : at,
  };
  const here = observation.location;
  if (here) {
    profile.lastLocation = {
      latitude: oneDecimal(here.latitude),
      longitude: oneDecimal(here.longitude),
      accuracyKm: Math.round(here.accuracyKm),
      at,
    };
    if (observation.country) profile.lastLocation.country = observation.country;
  } else if (base?.lastLocation) {
    profile.lastLocation = base.lastLocation;
  }
  return profile;
}

function recent(seen: Record<string, number> | undefined, since: number): Record<string, number> {
  return Object.fromEntries(Object.entries(seen ?? {}).filter(([, at]) => at >= since));
}

function newest(seen: Record<string, number>, limit: number): Record<string, number> {
  const entries = Object.entries(seen);
  if (entries.length <= limit) return seen;
  return Object.fromEntries(entries.sort(([, a], [, b]) => b - a).slice(0, limit));
}

function oneDecimal(degrees: number): number {
  return Math.round(degrees * 10) / 10;
}
