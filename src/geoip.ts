/**
 * `nestjs-mfa/geoip`: where a request comes from, for the risk engine, out of a MaxMind
 * GeoLite2/GeoIP2 `.mmdb` file the operator provides (needs maxmind ^5; nothing is
 * downloaded or bundled). `etc/geoip.api.md` is the reviewed surface.
 */
export { maxmindGeoIp } from '../libs/geoip/src';
export type { MaxmindGeoIp, MaxmindGeoIpOptions } from '../libs/geoip/src';

// The port it implements (also in `nestjs-mfa/core`)
export type { GeoIpResolver, GeoLocation } from '../libs/core/src/ports/risk-history.port';
