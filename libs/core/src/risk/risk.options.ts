import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import type { RiskHistoryStore } from '../ports/risk-history.port';
import { parseIpRanges, UntrustedIpTest } from './ip-ranges';
import { DEFAULT_RISK_WEIGHTS, RiskWeights } from './risk-score';
import { RISK_SIGNAL_NAMES } from './risk-signals';

/** The built-in risk engine (docs/risk.md): signals scored from each user's own verified history. */
export interface RiskOptions {
  /**
   * `'auto'`: on while the active policy reads risk (a `minRisk` condition,
   * `continuous.riskIncrease` or `devices.revokeAtRisk`), off otherwise. `true` also keeps
   * learning while no policy reads risk, so history is ready when one does. `false`: only
   * the host's `riskSignal`, as before.
   * @default 'auto'
   */
  enabled?: boolean | 'auto';
  /**
   * What each signal adds to the 0..1 score (summed, capped at 1); 0 turns a signal off,
   * and it is then not computed at all.
   * @default { impossibleTravel: 0.8, untrustedIp: 0.6, newCountry: 0.5, unknownCountry: 0.5, newDevice: 0.3, failureBurst: 0.3, unusualHour: 0.2 }
   */
  weights?: Partial<RiskWeights>;
  /** The host's `riskSignal`: added to the built-in score, or used instead of it when it gives a value. @default 'add' */
  hostSignal?: 'add' | 'replace';
  /** Faster than this between two verified locations is impossible travel. @default 1000 (km/h) */
  impossibleTravelKmh?: number;
  /** Days a country, device family or location is remembered after it was last verified from. @default 90 */
  retentionDays?: number;
  /**
   * Client addresses the host distrusts (anonymising proxies, a hostile network): IPv4 and
   * IPv6 addresses or CIDR ranges, or a callback. @default none
   */
  untrustedIps?: string[] | UntrustedIpTest;
  /** Consecutive failed attempts on the account (any channel, the app's own included) that make a burst. @default 5 */
  failureBurst?: number;
  /**
   * An hour is unusual when the user's verifications within an hour of it are below
   * `maxShare` of all of them, once there are `minSamples`. @default { maxShare: 0.05, minSamples: 10 }
   */
  unusualHour?: { maxShare?: number; minSamples?: number };
  /** Where profiles live. @default the store when it implements RiskHistoryStore (the TypeORM store does), else in memory */
  history?: RiskHistoryStore;
  /** Seconds this process reuses a loaded profile; its own writes replace it at once. @default 30 */
  cacheSeconds?: number;
}

export interface ResolvedRisk {
  enabled: boolean | 'auto';
  weights: RiskWeights;
  hostSignal: 'add' | 'replace';
  impossibleTravelKmh: number;
  retentionMs: number;
  /** `list`: the host gave ranges, matched in memory (the fast path evaluates them); otherwise its callback. */
  untrusted: { test: UntrustedIpTest; list: boolean } | null;
  failureBurst: number;
  unusualHour: { maxShare: number; minSamples: number };
  cacheMs: number;
}

const fail = (message: string): never => {
  throw new MfaConfigurationError(message);
};

/** The methods of RiskHistoryStore, by which a store is recognised as keeping profiles. */
const RISK_HISTORY_METHODS = ['loadRiskProfile', 'saveRiskProfile', 'forgetRiskProfile', 'pruneRiskProfiles'] as const;

export function isRiskHistoryStore(candidate: unknown): candidate is RiskHistoryStore {
  const store = candidate as Partial<RiskHistoryStore> | null | undefined;
  return RISK_HISTORY_METHODS.every((m) => typeof store?.[m] === 'function');
}

export function resolveRisk(options: RiskOptions = {}): ResolvedRisk {
  const enabled = options.enabled ?? 'auto';
  if (enabled !== true && enabled !== false && enabled !== 'auto')
    fail(`risk.enabled must be true, false or 'auto' (got ${String(enabled)}).`);
  const hostSignal = options.hostSignal ?? 'add';
  if (hostSignal !== 'add' && hostSignal !== 'replace')
    fail(`risk.hostSignal must be 'add' or 'replace' (got ${String(hostSignal)}).`);
  const number = (name: string, value: unknown, ok: (n: number) => boolean, want: string): number =>
    typeof value === 'number' && ok(value) ? value : fail(`risk.${name} must be ${want} (got ${String(value)}).`);
  if (options.history !== undefined && !isRiskHistoryStore(options.history))
    fail(
      `risk.history must implement ${RISK_HISTORY_METHODS.join(', ')} (RiskHistoryStore), or be left out to use the store's.`,
    );
  const hour = options.unusualHour ?? {};
  return {
    enabled,
    hostSignal,
    weights: resolveWeights(options.weights ?? {}),
    impossibleTravelKmh: number(
      'impossibleTravelKmh',
      options.impossibleTravelKmh ?? 1000,
      (n) => n > 0,
      'a speed in km/h above 0',
    ),
    retentionMs:
      number(
        'retentionDays',
        options.retentionDays ?? 90,
        (n) => Number.isInteger(n) && n >= 1,
        'a whole number of days, 1 or more',
      ) * 86_400_000,
    untrusted: resolveUntrusted(options.untrustedIps),
    failureBurst: number(
      'failureBurst',
      options.failureBurst ?? 5,
      (n) => Number.isInteger(n) && n >= 1,
      'a whole number, 1 or more',
    ),
    unusualHour: {
      maxShare: number('unusualHour.maxShare', hour.maxShare ?? 0.05, (n) => n > 0 && n < 1, 'a share between 0 and 1'),
      minSamples: number(
        'unusualHour.minSamples',
        hour.minSamples ?? 10,
        (n) => Number.isInteger(n) && n >= 1,
        'a whole number, 1 or more',
      ),
    },
    cacheMs:
      number('cacheSeconds', options.cacheSeconds ?? 30, (n) => n >= 0 && Number.isFinite(n), '0 or more seconds') *
      1000,
  };
}

function resolveWeights(given: Partial<RiskWeights>): RiskWeights {
  const weights = { ...DEFAULT_RISK_WEIGHTS };
  for (const [name, value] of Object.entries(given)) {
    if (!(RISK_SIGNAL_NAMES as readonly string[]).includes(name))
      fail(`risk.weights.${name} is not a signal; weigh one of ${RISK_SIGNAL_NAMES.join(', ')}.`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1))
      fail(`risk.weights.${name} must be a number from 0 to 1 (got ${String(value)}); 0 turns the signal off.`);
    weights[name as keyof RiskWeights] = value;
  }
  return weights;
}

function resolveUntrusted(given: RiskOptions['untrustedIps']): ResolvedRisk['untrusted'] {
  if (given === undefined) return null;
  if (typeof given === 'function') return { test: given, list: false };
  if (!Array.isArray(given))
    fail("risk.untrustedIps must be a list of addresses or CIDR ranges (e.g. ['203.0.113.0/24']) or a function.");
  const { test, invalid } = parseIpRanges(given);
  if (invalid.length)
    fail(
      `risk.untrustedIps has entries that are not an IPv4 or IPv6 address or CIDR range: ${invalid.map((e) => JSON.stringify(e)).join(', ')}. ` +
        "Write them like '203.0.113.0/24' or '2001:db8::/32'.",
    );
  return given.length ? { test, list: true } : null;
}
