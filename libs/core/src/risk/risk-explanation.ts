import type { RequestContext } from '../policy/request-context';
import type { RiskAssessment } from './risk-signals';

/** The assessment a context carries; undefined when the engine did not assess it. */
export function riskOf(context: RequestContext): RiskAssessment | undefined {
  return context.riskSignals && { score: context.risk ?? 0, signals: context.riskSignals };
}

/**
 * One line for an audit event's `reason`: "risk 0.8: newCountry TR, impossibleTravel 7400 km
 * in 55 min". It leads the reason, so a sink that cuts reasons short (the database keeps 191
 * characters) keeps the signals.
 */
export function describeRisk(context: RequestContext): string | undefined {
  const s = context.riskSignals;
  if (!s) return undefined;
  const parts: string[] = [];
  if (s.impossibleTravel)
    parts.push(`impossibleTravel ${s.impossibleTravel.km} km in ${s.impossibleTravel.minutes} min`);
  if (s.untrustedIp) parts.push('untrustedIp');
  if (s.newCountry) parts.push(`newCountry ${s.newCountry.country}`);
  if (s.unknownCountry) parts.push('unknownCountry');
  if (s.newDevice) parts.push(`newDevice ${s.newDevice.family}`);
  if (s.failureBurst) parts.push(`failureBurst ${s.failureBurst.failures}`);
  if (s.unusualHour) parts.push(`unusualHour ${s.unusualHour.hour}h UTC`);
  if (s.hostSignal !== undefined) parts.push(`hostSignal ${s.hostSignal}`);
  return `risk ${context.risk ?? 0}: ${parts.length ? parts.join(', ') : 'no signal'}`;
}

/** `reason` with the risk line in front, when the request was assessed. */
export function withRisk(context: RequestContext, reason: string | undefined): string | undefined {
  const risk = describeRisk(context);
  if (!risk) return reason;
  return reason ? `${risk}; ${reason}` : risk;
}
