/** The built-in signals, by the names weights, explanations and the docs use. */
export const RISK_SIGNAL_NAMES = [
  'newDevice',
  'newCountry',
  'unknownCountry',
  'impossibleTravel',
  'unusualHour',
  'failureBurst',
  'untrustedIp',
] as const;

export type RiskSignalName = (typeof RISK_SIGNAL_NAMES)[number];

/**
 * Why a request's risk is what it is: each signal that fired, with the little an
 * administrator needs to judge it. Audited and explained; never sent to the client.
 */
export interface RiskSignals {
  /** A browser and OS family ("Firefox/Linux") this user never verified from. */
  newDevice?: { family: string };
  /** A country this user never verified from (ISO 3166-1 alpha-2). */
  newCountry?: { country: string };
  /**
   * The request has no country (the edge's `XX` or Tor's `T1`, an address GeoIP cannot
   * place) from a user who has verified from one: hiding where one is never scores below a
   * new country.
   */
  unknownCountry?: true;
  /** From the last verified location to here faster than a plane: the distance and the minutes it took. */
  impossibleTravel?: { km: number; minutes: number };
  /** An hour of day (UTC) this user rarely verifies at. */
  unusualHour?: { hour: number };
  /** Consecutive failed attempts on the account, across channels, since its last success. */
  failureBurst?: { failures: number };
  /** The client address is in the host's untrusted list. */
  untrustedIp?: true;
  /** The host's own `riskSignal`: added to the built-in score, or standing in for it. */
  hostSignal?: number;
}

/** A request's score (0..1) and the signals behind it. */
export interface RiskAssessment {
  score: number;
  signals: RiskSignals;
}
