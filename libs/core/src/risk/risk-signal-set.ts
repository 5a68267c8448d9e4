import type { RequestContext } from '../policy/request-context';
import type { RiskProfile } from '../ports/risk-history.port';
import { impossibleTravelSignal } from './impossible-travel.signal';
import { newCountrySignal, unknownCountrySignal } from './new-country.signal';
import { newDeviceSignal } from './new-device.signal';
import type { RiskObservation } from './risk-observation';
import { combineWithHost, hostValue, riskScore } from './risk-score';
import type { RiskSignalName, RiskSignals } from './risk-signals';
import type { ResolvedRisk } from './risk.options';
import { unusualHourSignal } from './unusual-hour.signal';

/** The signals the user's profile answers. */
export const HISTORY_SIGNALS: readonly RiskSignalName[] = [
  'newDevice',
  'newCountry',
  'unknownCountry',
  'impossibleTravel',
  'unusualHour',
];

/** Is there a signal weighted above 0 that needs the profile? */
export function readsHistory(risk: ResolvedRisk): boolean {
  return HISTORY_SIGNALS.some((name) => risk.weights[name] > 0);
}

/** What the profile and a static `untrustedIps` list tell, in memory; a signal weighted 0 is not computed. */
export function knownSignals(risk: ResolvedRisk, profile: RiskProfile | undefined, o: RiskObservation): RiskSignals {
  const { weights, impossibleTravelKmh, unusualHour, untrusted } = risk;
  const signals: RiskSignals = {};
  const raise = <K extends RiskSignalName>(name: K, value: () => RiskSignals[K]) => {
    const fired = weights[name] > 0 ? value() : undefined;
    if (fired !== undefined) signals[name] = fired;
  };
  raise('newDevice', () => newDeviceSignal(profile, o));
  raise('newCountry', () => newCountrySignal(profile, o));
  raise('unknownCountry', () => unknownCountrySignal(profile, o));
  raise('impossibleTravel', () => impossibleTravelSignal(profile, o, impossibleTravelKmh));
  raise('unusualHour', () => unusualHourSignal(profile, o, unusualHour));
  if (untrusted?.list) raise('untrustedIp', () => (o.ip && untrusted.test(o.ip) === true ? true : undefined));
  return signals;
}

/** The signals that can fire and that only I/O can tell: the failure count, an address callback's answer. */
export function unreadSignals(risk: ResolvedRisk): RiskSignalName[] {
  return possibleSignals(risk, risk.untrusted?.list ? ['failureBurst'] : ['failureBurst', 'untrustedIp']);
}

/** The signals that can fire at all: weighted above 0, and an address check only with a list or callback. */
export function possibleSignals(risk: ResolvedRisk, names: readonly RiskSignalName[]): RiskSignalName[] {
  return names.filter((name) => risk.weights[name] > 0 && (name !== 'untrustedIp' || risk.untrusted !== null));
}

/** `signals`, plus the host's value, scored into the context; `assumed` count as firing without being reported. */
export function scoredContext(
  risk: ResolvedRisk,
  context: RequestContext,
  signals: RiskSignals,
  assumed: readonly RiskSignalName[] = [],
): RequestContext {
  const counted = { ...signals, ...Object.fromEntries(assumed.map((name) => [name, true])) } as RiskSignals;
  const host = context.risk;
  const reported = host !== undefined && hostValue(host) > 0 ? { ...signals, hostSignal: hostValue(host) } : signals;
  return { ...context, risk: combineWithHost(riskScore(counted, risk.weights), host, 'add'), riskSignals: reported };
}
