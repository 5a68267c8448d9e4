import type { GeoIpResolver } from '../../core/src';
import type { MfaOptions } from './mfa-options';
import {
  contextIsSynchronous,
  headerOnlyContext,
  hooklessContext,
  resolveRequestContext,
} from './request-context.resolver';

// What the HTTP layer hands the core's risk engine: the adapter's req.ip, the User-Agent,
// the trusted headers, and what a GeoIP resolver (here a fake over documentation addresses) says.
const geoIp: GeoIpResolver = (ip) =>
  ({
    '198.51.100.7': { country: 'DE', latitude: 52.52, longitude: 13.405, accuracyKm: 20 },
    '203.0.113.9': { country: 'JP', latitude: 35.68, longitude: 139.76, accuracyKm: 50 },
    '192.0.2.1': { country: 'US' },
  })[ip];
const subject = { userId: 'u1', sessionId: 's1' };
const req = (ip: string | undefined, headers: Record<string, string> = {}) => ({ ip, headers });

describe('request context for the risk engine', () => {
  it('passes the client address and user agent, and the edge coordinates when trusted', () => {
    const options: MfaOptions = {
      trustedCountryHeader: 'cf-ipcountry',
      trustedCoordinateHeaders: { latitude: 'cf-iplatitude', longitude: 'cf-iplongitude' },
    };
    expect(contextIsSynchronous(options)).toBe(true);
    const headers = { 'cf-ipcountry': 'tr', 'cf-iplatitude': '41.01', 'cf-iplongitude': '28.97', 'user-agent': 'UA' };
    expect(headerOnlyContext(req('::ffff:198.51.100.7', headers), options)).toEqual({
      country: 'TR',
      client: { ip: '::ffff:198.51.100.7', userAgent: 'UA', latitude: 41.01, longitude: 28.97 },
    });
    const forged = { 'cf-iplatitude': '410', 'cf-iplongitude': 'east' };
    expect(headerOnlyContext(req(undefined, forged), options)).toEqual({ client: { userAgent: '' } });
    expect(headerOnlyContext(req('198.51.100.7', { 'cf-iplatitude': '41' }), {}).client).toEqual({
      ip: '198.51.100.7',
      userAgent: '',
    }); // coordinate headers are read only when the host names them
  });

  it('locates the address with GeoIP when nothing trusted said where it is', async () => {
    const options: MfaOptions = { geoIp };
    expect(contextIsSynchronous(options)).toBe(true); // no app hook: GeoIP alone does not force the async path
    expect(await resolveRequestContext(req('203.0.113.9'), subject, options)).toEqual({
      country: 'JP',
      client: { ip: '203.0.113.9', userAgent: '', latitude: 35.68, longitude: 139.76, accuracyKm: 50 },
    });
    expect(await resolveRequestContext(req('192.0.2.1'), subject, options)).toEqual({
      country: 'US',
      client: { ip: '192.0.2.1', userAgent: '' },
    });
    expect(await resolveRequestContext(req('10.0.0.1'), subject, options)).toEqual({
      client: { ip: '10.0.0.1', userAgent: '' },
    });
  });

  it('lets the trusted header win, and takes no GeoIP coordinates from another country', async () => {
    const options: MfaOptions = { geoIp, trustedCountryHeader: 'cf-ipcountry' };
    const context = await resolveRequestContext(req('198.51.100.7', { 'cf-ipcountry': 'FR' }), subject, options);
    expect(context).toEqual({ country: 'FR', client: { ip: '198.51.100.7', userAgent: '' } });
    const agreeing = await resolveRequestContext(req('198.51.100.7', { 'cf-ipcountry': 'DE' }), subject, options);
    expect(agreeing.client).toMatchObject({ latitude: 52.52, longitude: 13.405, accuracyKm: 20 });
  });

  it('stays synchronous with a resolver that answers at once (maxmindGeoIp does), and awaits one that does not', async () => {
    const sync = hooklessContext(req('203.0.113.9'), { geoIp });
    expect(sync).not.toBeInstanceOf(Promise);
    expect(sync).toMatchObject({ country: 'JP', client: { latitude: 35.68 } });
    const remote: GeoIpResolver = async (ip) => geoIp(ip);
    const pending = hooklessContext(req('203.0.113.9'), { geoIp: remote });
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(sync);
    // Nothing left to locate: the resolver is not asked at all.
    const asked = jest.fn(geoIp);
    const options: MfaOptions = {
      geoIp: asked,
      trustedCountryHeader: 'cf-ipcountry',
      trustedCoordinateHeaders: { latitude: 'cf-iplatitude', longitude: 'cf-iplongitude' },
    };
    const located = req('203.0.113.9', { 'cf-ipcountry': 'JP', 'cf-iplatitude': '35', 'cf-iplongitude': '139' });
    expect(hooklessContext(located, options)).toMatchObject({ country: 'JP', client: { latitude: 35 } });
    expect(asked).not.toHaveBeenCalled();
  });

  it('fails closed when the resolver throws', async () => {
    const broken: GeoIpResolver = () => Promise.reject(new Error('database gone'));
    await expect(resolveRequestContext(req('198.51.100.7'), subject, { geoIp: broken })).rejects.toThrow(
      'database gone',
    );
    const throwing: GeoIpResolver = () => {
      throw new Error('database gone');
    };
    await expect(resolveRequestContext(req('198.51.100.7'), subject, { geoIp: throwing })).rejects.toThrow(
      'database gone',
    );
  });
});
