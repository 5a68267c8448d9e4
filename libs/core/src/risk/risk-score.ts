import { RISK_SIGNAL_NAMES, RiskSignalName, RiskSignals } from './risk-signals';

/** How much each signal adds to the score, 0..1 each. */
export type RiskWeights = Record<RiskSignalName, number>;

/**
 * Chosen so the usual thresholds read naturally: one strong signal (impossible travel, an
 * untrusted address, a new country) reaches 0.5 on its own; a new device alone stays
 * below it; a new country from a new device reaches 0.8.
 */
export const DEFAULT_RISK_WEIGHTS: Readonly<RiskWeights> = Object.freeze({
  impossibleTravel: 0.8,
  untrustedIp: 0.6,
  newCountry: 0.5,
  unknownCountry: 0.5,
  newDevice: 0.3,
  failureBurst: 0.3,
  unusualHour: 0.2,
});

/**
 * The weights of the signals that fired, summed and capped at 1. A sum rather than a
 * noisy-OR so an operator can predict which combinations cross a `minRisk`; rounded to
 * hundredths so 0.1 + 0.2 meets `minRisk: 0.3`. Weights are never negative, so a signal
 * that fires never lowers the score.
 */
export function riskScore(signals: RiskSignals, weights: RiskWeights): number {
  let sum = 0;
  for (const name of RISK_SIGNAL_NAMES) if (signals[name] !== undefined) sum += weights[name];
  return roundScore(sum);
}

/**
 * The built-in score with the host's: 'add' sums them (capped at 1); 'replace' takes the
 * host's whenever it gave one. A host value outside 0..1 is clamped into it; one that is
 * not a number is a bug in the host's hook and counts as 1, risky rather than safe.
 *
 * The sum is rounded to 1e-9, which drops floating-point noise (0.7 + 0.1 is
 * 0.7999999999999999, which would miss `minRisk: 0.8`; 0.2 + 0.1 would rise by more than a
 * `riskIncrease` of 0.3) yet keeps a host's own precision; and never below the host's value,
 * so a host's 0.333 added to nothing still meets `minRisk: 0.333`.
 */
export function combineWithHost(builtIn: number, host: number | undefined, mode: 'add' | 'replace'): number {
  if (host === undefined) return builtIn;
  const given = hostValue(host);
  if (mode === 'replace') return given;
  return Math.min(1, Math.max(given, Math.round((builtIn + given) * 1e9) / 1e9));
}

export function hostValue(host: number): number {
  return Number.isFinite(host) ? Math.min(1, Math.max(0, host)) : 1;
}

function roundScore(value: number): number {
  return Math.min(1, Math.round(value * 100) / 100);
}
