import { countryCentroid } from './country-centroids';
import { haversineKm, impossibleTravelSignal } from './impossible-travel.signal';
import type { RiskProfile } from '../ports/risk-history.port';

const BERLIN = { latitude: 52.52, longitude: 13.405 };
const NEW_YORK = { latitude: 40.7128, longitude: -74.006 };
const at = Date.UTC(2026, 0, 1);
const profile = (accuracyKm: number): RiskProfile => ({
  userId: 'u1',
  deviceFamilies: {},
  countries: {},
  hours: new Array(24).fill(0),
  lastLocation: { ...BERLIN, accuracyKm, at },
  updatedAt: at,
});
const nyc = (minutes: number, accuracyKm = 0) => ({
  at: at + minutes * 60_000,
  hour: 0,
  location: { ...NEW_YORK, accuracyKm },
});

describe('impossible travel', () => {
  it('measures great-circle distance', () => {
    expect(haversineKm(BERLIN, NEW_YORK)).toBeCloseTo(6385, -1);
    expect(haversineKm(BERLIN, BERLIN)).toBe(0);
  });

  it('fires above the speed, not below it', () => {
    expect(impossibleTravelSignal(profile(0), nyc(300), 1000)).toEqual({ km: 6385, minutes: 300 });
    expect(impossibleTravelSignal(profile(0), nyc(420), 1000)).toBeUndefined(); // ~912 km/h: a fast flight
    expect(impossibleTravelSignal(profile(0), nyc(0), 1000)).toEqual({ km: 6385, minutes: 0 });
  });

  it('takes both accuracy radii off the distance before judging the speed', () => {
    expect(impossibleTravelSignal(profile(1000), nyc(300, 1000), 1000)).toBeUndefined(); // 4385 km in 5 h
    expect(impossibleTravelSignal(profile(3200), nyc(1, 3200), 1000)).toBeUndefined(); // the circles overlap
  });

  it("tolerates another instance's clock running ahead: the gap plus 5 minutes, never 0 minutes", () => {
    const PARIS = { latitude: 48.857, longitude: 2.352 };
    const BRUSSELS = { latitude: 50.847, longitude: 4.357 };
    const stampedAhead = (minutes: number): RiskProfile => ({
      ...profile(20),
      lastLocation: { ...PARIS, accuracyKm: 20, at: at + minutes * 60_000 },
    });
    const brussels = { at, hour: 0, location: { ...BRUSSELS, accuracyKm: 20 } };
    // 264 km, 224 provable: an hour's train ride, written by a clock 40 min ahead (-40 min) or barely ahead.
    expect(impossibleTravelSignal(stampedAhead(40), brussels, 1000)).toBeUndefined();
    expect(impossibleTravelSignal(stampedAhead(1 / 60), brussels, 1000)).toEqual({ km: 264, minutes: 5 });
    expect(impossibleTravelSignal(stampedAhead(0), brussels, 1000)).toEqual({ km: 264, minutes: 0 }); // same instant
    // Berlin to New York is still impossible whichever clock wrote the last location.
    expect(impossibleTravelSignal(profile(0), { ...nyc(0), at: at - 2 * 60_000 }, 1000)).toEqual({
      km: 6385,
      minutes: 7,
    });
  });

  it('knows the countries of the table, with coordinates and a radius that make sense', () => {
    for (const code of ['DE', 'US', 'JP', 'TR', 'BR', 'AU', 'RU', 'IN', 'ZA', 'SG']) {
      const c = countryCentroid(code)!;
      expect(Math.abs(c.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(c.longitude)).toBeLessThanOrEqual(180);
      expect(c.radiusKm).toBeGreaterThan(0);
    }
    expect(haversineKm(countryCentroid('DE')!, BERLIN)).toBeLessThan(countryCentroid('DE')!.radiusKm);
    expect(countryCentroid('ZZ')).toBeUndefined();
  });
});
