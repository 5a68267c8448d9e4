export { maxmindGeoIp } from './maxmind-geoip.resolver';
export type { MaxmindGeoIp, MaxmindGeoIpOptions } from './maxmind-geoip.resolver';
