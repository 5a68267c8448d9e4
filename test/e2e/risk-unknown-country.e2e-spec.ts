// Invariant: a request whose country is unknown (Cloudflare's `XX`, Tor's `T1`, an address the
// GeoIP database cannot place) never looks safer than one from a new country: once the user has
// verified from a country, it is stepped up like a new country would be. Before any country is
// known, it is not: there is nothing to compare with.
import type { GeoLocation } from '../../libs/core/src';
import { RISK_LEAK, RISK_POLICY, from, verifiedSignIn } from '../support/risk-fixtures';
import { MATRIX, TestApp, signIn, signInEnrolled, startTestApp } from '../support/test-app';

describe.each(MATRIX)('risk: a request with no country on %s', (_name, backend, adapter) => {
  let t: TestApp;
  afterEach(() => t.close());

  it.each(['XX', 'T1'])("steps up the edge's %s once the user has a verified country", async (code) => {
    t = await startTestApp(backend, adapter, { policy: RISK_POLICY });
    const { secret } = await signInEnrolled(t);
    await (await signIn(t)).get('/payments').set(from(code)).expect(200); // no history: nothing to compare with
    await verifiedSignIn(t, await signIn(t), secret, from('TR'));
    t.clock.advance(3600);
    await (await signIn(t)).get('/payments').set(from('TR')).expect(200);

    const hidden = await (await signIn(t)).get('/payments').set(from(code)).expect(401);
    expect(JSON.stringify(hidden.body) + JSON.stringify(hidden.headers)).not.toMatch(RISK_LEAK);
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(
      /^risk 0\.5: unknownCountry; step-up-unusual-sign-in:/,
    );
  });

  it('steps up an address the GeoIP database cannot place', async () => {
    let where: GeoLocation | undefined = { country: 'DE', latitude: 52.52, longitude: 13.4, accuracyKm: 20 };
    t = await startTestApp(backend, adapter, {
      policy: RISK_POLICY,
      trustedCountryHeader: undefined,
      geoIp: () => where,
    });
    const { secret } = await signInEnrolled(t);
    const headers = { 'user-agent': from('DE')['user-agent'] };
    await verifiedSignIn(t, await signIn(t), secret, headers);
    t.clock.advance(3600);
    where = undefined; // an anonymising network, a fresh allocation
    await (await signIn(t)).get('/payments').set(headers).expect(401);
    expect(t.audit.ofType('challenge.issued').at(-1)!.reason).toMatch(/^risk 0\.5: unknownCountry;/);
  });
});
