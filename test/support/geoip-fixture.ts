import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MmdbNetwork, MmdbWriterOptions, mmdbDouble, writeMmdb } from './mmdb-writer';

/** A GeoLite2-City record as MaxMind writes one: coordinates are doubles even when whole. */
export function cityRecord(country: string | undefined, latitude?: number, longitude?: number, accuracyKm?: number) {
  return {
    continent: { code: 'EU', geoname_id: 6255148, names: { en: 'Europe' } },
    ...(country ? { country: { geoname_id: 1, iso_code: country, names: { en: country } } } : {}),
    ...(latitude !== undefined && longitude !== undefined
      ? {
          location: {
            accuracy_radius: accuracyKm ?? 100,
            latitude: mmdbDouble(latitude),
            longitude: mmdbDouble(longitude),
            time_zone: 'UTC',
          },
        }
      : {}),
  };
}

/** Where each test address is, in the spirit of MaxMind's own test databases. */
export const GEO = {
  london: { ip: '81.2.69.142', country: 'GB', latitude: 51.5142, longitude: -0.0931, accuracyKm: 10 },
  linkoping: { ip: '89.160.20.112', country: 'SE', latitude: 58.4167, longitude: 15.6167, accuracyKm: 76 },
  boxford: { ip: '2.125.160.216', country: 'GB', latitude: 51.75, longitude: -1.25, accuracyKm: 100 },
  changchun: { ip: '175.16.199.10', country: 'CN', latitude: 43.88, longitude: 125.3228, accuracyKm: 100 },
  milton: { ip: '216.160.83.56', country: 'US', latitude: 47.2513, longitude: -122.3149, accuracyKm: 22 },
  tokyo: { ip: '2001:218::1', country: 'JP', latitude: 35.69, longitude: 139.69, accuracyKm: 500 },
} as const;

export const FIXTURE_NETWORKS: MmdbNetwork[] = [
  { network: '81.2.69.0/24', data: cityRecord('GB', 51.5142, -0.0931, 10) },
  { network: '89.160.20.0/24', data: cityRecord('SE', 58.4167, 15.6167, 76) },
  { network: '2.125.160.0/20', data: cityRecord('GB', 51.75, -1.25, 100) },
  { network: '175.16.199.0/24', data: cityRecord('CN', 43.88, 125.3228, 100) },
  { network: '216.160.83.0/24', data: cityRecord('US', 47.2513, -122.3149, 22) },
  { network: '2001:218::/32', data: cityRecord('JP', 35.69, 139.69, 500) },
  // A country without coordinates, and a block known only by its registration (anycast).
  { network: '202.196.224.0/20', data: cityRecord('PH') },
  { network: '67.43.156.0/24', data: { registered_country: { geoname_id: 1252634, iso_code: 'BT' } } },
];

/** Writes the fixture (or `options`) as a `.mmdb` in a fresh temporary directory; returns its path. */
export function writeGeoIpFixture(options: Partial<MmdbWriterOptions> = {}, name = 'GeoLite2-City.mmdb'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nestjs-mfa-geoip-')), name);
  const networks = FIXTURE_NETWORKS.filter((n) => options.ipVersion !== 4 || !n.network.includes(':'));
  writeFileSync(path, writeMmdb({ networks, ...options }));
  return path;
}
