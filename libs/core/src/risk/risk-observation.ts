import { deviceTraits } from '../devices/device-traits';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';
import { countryCentroid } from './country-centroids';
import { isDegrees } from './degrees';

/** What one request offers the signals and, once verified, the user's history. */
export interface RiskObservation {
  at: number;
  /** The UTC hour of `at`: a user's own pattern, so their time zone does not matter. */
  hour: number;
  /** "Firefox/Linux"; undefined when nothing at all is known of the client (an admin's explain). */
  deviceFamily?: string;
  country?: string;
  location?: { latitude: number; longitude: number; accuracyKm: number };
  ip?: string;
}

/** The edge's coordinate headers carry no precision; city-level GeoIP is mostly within this. */
export const HEADER_ACCURACY_KM = 100;

/**
 * Reads the request as the adapter described it (`context.client`, filled from the
 * adapter's `req.ip` and headers), falling back on the subject's own `ip` and `userAgent`.
 * Coordinates come from trusted headers or GeoIP; without them, from the country's centroid.
 */
export function observe(
  subject: Pick<MfaSubject, 'ip' | 'userAgent'>,
  context: RequestContext,
  now: number,
): RiskObservation {
  const client = context.client ?? {};
  const userAgent = client.userAgent ?? subject.userAgent;
  const observation: RiskObservation = { at: now, hour: new Date(now).getUTCHours() };
  if (userAgent !== undefined) {
    const traits = deviceTraits(userAgent);
    observation.deviceFamily = `${traits.browser}/${traits.os}`;
  }
  // `XX` is "unknown" at the edge (Cloudflare), whoever passes it on: no country, not a new one.
  const country = context.country?.toUpperCase();
  if (country && /^[A-Z]{2}$/.test(country) && country !== 'XX') observation.country = country;
  const ip = client.ip ?? subject.ip;
  if (ip) observation.ip = ip;
  const location = locationOf(client, observation.country);
  if (location) observation.location = location;
  return observation;
}

function locationOf(client: NonNullable<RequestContext['client']>, country?: string): RiskObservation['location'] {
  const { latitude, longitude } = client;
  if (isDegrees(latitude, 90) && isDegrees(longitude, 180)) {
    const accuracy = client.accuracyKm;
    const accuracyKm = typeof accuracy === 'number' && accuracy >= 0 ? accuracy : HEADER_ACCURACY_KM;
    return { latitude, longitude, accuracyKm };
  }
  const centroid = country ? countryCentroid(country) : undefined;
  return centroid && { latitude: centroid.latitude, longitude: centroid.longitude, accuracyKm: centroid.radiusKm };
}
