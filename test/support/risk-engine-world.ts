// The risk engine's unit specs share one world: documentation addresses mapped to places by a
// GeoIP fake (the way the HTTP layer fills `context.client`), two browsers, and one user.
import { ManualClock } from '../../libs/core/src/clock/clock';
import { InMemoryCounterStore } from '../../libs/core/src/counters/in-memory-counter.store';
import type { RequestContext } from '../../libs/core/src/policy/request-context';
import type { GeoIpResolver, GeoLocation, RiskHistoryStore } from '../../libs/core/src/ports/risk-history.port';
import { InMemoryRiskHistoryStore } from '../../libs/core/src/risk/in-memory-risk-history.store';
import { RiskEngine } from '../../libs/core/src/risk/risk-engine';
import { resolveRisk, RiskOptions } from '../../libs/core/src/risk/risk.options';

export const PLACES: Record<string, GeoLocation> = {
  '198.51.100.7': { country: 'DE', latitude: 52.52, longitude: 13.405, accuracyKm: 20 }, // Berlin
  '198.51.100.8': { country: 'DE', latitude: 48.137, longitude: 11.575, accuracyKm: 20 }, // Munich
  '203.0.113.9': { country: 'JP', latitude: 35.68, longitude: 139.76, accuracyKm: 20 }, // Tokyo
  '2001:db8::5': { country: 'FR', latitude: 48.857, longitude: 2.352, accuracyKm: 20 }, // Paris
};
export const geo: GeoIpResolver = (ip) => PLACES[ip];
export const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
export const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Safari/604.1';
export const alice = { userId: 'u-alice' };

export async function from(ip: string, userAgent = FIREFOX_LINUX): Promise<RequestContext> {
  const place = await geo(ip);
  const { country, ...coordinates } = place ?? {};
  return { ...(country && { country }), client: { ip, userAgent, ...coordinates } };
}

export function setup(options: RiskOptions = {}, history: RiskHistoryStore = new InMemoryRiskHistoryStore()) {
  const clock = new ManualClock(Date.UTC(2026, 2, 2, 12, 0, 0));
  const counters = new InMemoryCounterStore();
  const engine = new RiskEngine({ risk: resolveRisk(options), riskHistory: history, counters, clock });
  const assess = async (ip: string, userAgent?: string) => engine.assess(alice, await from(ip, userAgent));
  // What a verification does: the lesson before the code is checked, stored once it is committed.
  const learn = async (context: RequestContext) => engine.remember(await engine.lesson(alice, context, true));
  const verifiedFrom = async (ip: string, userAgent?: string) => learn(await from(ip, userAgent));
  return { clock, counters, engine, history, assess, learn, verifiedFrom };
}
