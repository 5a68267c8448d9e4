import type { RiskProfile } from '../ports/risk-history.port';
import { learnFrom, liveProfile } from './risk-history';
import type { RiskObservation } from './risk-observation';

const DAY = 86_400_000;
const RETENTION = 90 * DAY;
const t0 = Date.UTC(2026, 4, 1, 9, 30);
const seen = (at: number, extra: Partial<RiskObservation> = {}): RiskObservation => ({
  at,
  hour: new Date(at).getUTCHours(),
  deviceFamily: 'Firefox/Linux',
  country: 'DE',
  location: { latitude: 52.52437, longitude: 13.41053, accuracyKm: 19.6 },
  ip: '198.51.100.7',
  ...extra,
});

describe('what a verified sign-in teaches', () => {
  it('keeps the family, the country, coarse coordinates and the hour; never the address', () => {
    const profile = learnFrom('u1', undefined, seen(t0), RETENTION);
    expect(profile).toEqual({
      userId: 'u1',
      deviceFamilies: { 'Firefox/Linux': t0 },
      countries: { DE: t0 },
      lastLocation: { latitude: 52.5, longitude: 13.4, accuracyKm: 20, country: 'DE', at: t0 },
      hours: Object.assign(new Array(24).fill(0), { 9: 1 }),
      updatedAt: t0,
    });
    expect(JSON.stringify(profile)).not.toContain('198.51');
  });

  it('keeps the last location when a later request has none, and drops it once out of retention', () => {
    const first = learnFrom('u1', undefined, seen(t0), RETENTION);
    const second = learnFrom('u1', first, seen(t0 + DAY, { location: undefined, country: undefined }), RETENTION);
    expect(second.lastLocation?.at).toBe(t0);
    expect(liveProfile(second, t0 + RETENTION + DAY / 2, RETENTION)?.lastLocation).toBeUndefined();
  });

  it('bounds what a client can make it remember', () => {
    let profile: RiskProfile | undefined;
    for (let i = 0; i < 30; i++)
      profile = learnFrom('u1', profile, seen(t0 + i, { deviceFamily: `B${i}/OS` }), RETENTION);
    expect(Object.keys(profile!.deviceFamilies)).toHaveLength(20);
    expect(profile!.deviceFamilies['B29/OS']).toBeDefined();
    expect(profile!.deviceFamilies['B0/OS']).toBeUndefined();
  });

  it('halves the hour histogram past 200 samples, so it follows a changing routine', () => {
    let profile: RiskProfile | undefined;
    for (let i = 0; i < 201; i++) profile = learnFrom('u1', profile, seen(t0 + i), RETENTION);
    expect(profile!.hours[9]).toBe(100);
  });

  it('is no history at all once nothing in it was written within the window', () => {
    const profile = learnFrom('u1', undefined, seen(t0), RETENTION);
    expect(liveProfile(profile, t0 + RETENTION - 1, RETENTION)).toBeDefined();
    expect(liveProfile(profile, t0 + RETENTION + 1, RETENTION)).toBeUndefined();
  });
});
