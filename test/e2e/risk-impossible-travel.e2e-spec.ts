// Invariant: a verified user who appears, by the edge's coordinates or the host's GeoIP
// resolver, farther from their last verified location than a plane could fly since, is stepped
// up even inside one country; the same trip with time for the flight is not.
import type { GeoLocation } from '../../libs/core/src';
import { RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp } from '../support/test-app';

const NEW_YORK = { lat: 40.71, lon: -74.01 };
const LOS_ANGELES = { lat: 34.05, lon: -118.24 };

describe.each(MATRIX)('risk: impossible travel on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("by the edge's coordinate headers: New York, then Los Angeles 30 minutes later", async () => {
    t = await startTestApp(backend, adapter, {
      policy: RISK_POLICY,
      trustedCoordinateHeaders: { latitude: 'cf-iplatitude', longitude: 'cf-iplongitude' },
    });
    const { secret } = await signInEnrolled(t);
    await verifiedSignIn(t, await signIn(t), secret, from('US', NEW_YORK));
    t.clock.advance(1800);
    await (await signIn(t)).get('/payments').set(from('US', LOS_ANGELES)).expect(401);
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(
      /^risk 0\.8: impossibleTravel 39\d\d km in 3\d min;/,
    );
    t.clock.advance(6 * 3600); // time for the flight
    await (await signIn(t)).get('/payments').set(from('US', LOS_ANGELES)).expect(200);
  });

  it("by the host's GeoIP resolver, which locates the adapter's req.ip", async () => {
    let where: GeoLocation = { country: 'DE', latitude: 52.52, longitude: 13.4, accuracyKm: 20 };
    const seen: string[] = [];
    t = await startTestApp(backend, adapter, {
      policy: RISK_POLICY,
      trustedCountryHeader: undefined,
      geoIp: (ip) => (seen.push(ip), where), // every test request comes from loopback: the fake moves it
    });
    const { secret } = await signInEnrolled(t);
    const headers = { 'user-agent': from('DE')['user-agent'] };
    await verifiedSignIn(t, await signIn(t), secret, headers);
    t.clock.advance(600);
    where = { country: 'DE', latitude: 48.14, longitude: 11.58, accuracyKm: 20 }; // Munich, 10 minutes later
    await (await signIn(t)).get('/payments').set(headers).expect(401);
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(
      /^risk 0\.8: impossibleTravel 50\d km in 1\d min;/,
    );
    expect(seen.every((ip) => /127\.0\.0\.1|::1/.test(ip))).toBe(true);
  });
});
