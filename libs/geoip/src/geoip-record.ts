import type { GeoLocation } from '../../core/src/ports/risk-history.port';
import { isDegrees } from '../../core/src/risk/degrees';
import { dottedIpv4, ipv4Of, parseAddress } from '../../core/src/risk/ip-ranges';

/** The parts of a GeoIP2/GeoLite2 City or Country record that locate someone. */
export interface MmdbRecord {
  country?: { iso_code?: unknown };
  location?: { latitude?: unknown; longitude?: unknown; accuracy_radius?: unknown };
}

/**
 * The address as the database should see it, or undefined when it is not one: the reader
 * parses anything it is given, and a malformed string would walk the tree to some answer.
 * IPv4-mapped IPv6 (`::ffff:81.2.69.142`, what a dual-stack socket reports) is looked up as
 * IPv4, and an IPv6 address in an IPv4-only database is not looked up at all.
 */
export function lookupAddress(ip: unknown, databaseIpVersion: number): string | undefined {
  if (typeof ip !== 'string' || ip.length > 64) return undefined;
  const address = ip.replace(/%[\w.-]+$/, ''); // a link-local zone (`fe80::1%eth0`) is no part of the address
  const parsed = parseAddress(address);
  if (!parsed) return undefined;
  const v4 = ipv4Of(parsed);
  if (v4) return dottedIpv4(v4);
  return databaseIpVersion === 6 ? address : undefined;
}

/** What the risk engine needs, and only what the database actually says. */
export function locationOf(record: MmdbRecord | null | undefined): GeoLocation | undefined {
  if (!record || typeof record !== 'object') return undefined;
  const location: GeoLocation = {};
  // `country` is where the user is; `registered_country` is only where the network is registered.
  const country = record.country?.iso_code;
  if (typeof country === 'string' && /^[A-Za-z]{2}$/.test(country)) location.country = country.toUpperCase();
  const { latitude, longitude, accuracy_radius: accuracy } = record.location ?? {};
  if (isDegrees(latitude, 90) && isDegrees(longitude, 180)) {
    location.latitude = latitude;
    location.longitude = longitude;
    if (typeof accuracy === 'number' && Number.isFinite(accuracy) && accuracy >= 0) location.accuracyKm = accuracy;
  }
  return Object.keys(location).length ? location : undefined;
}
