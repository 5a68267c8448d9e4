import type { RiskProfile } from '../ports/risk-history.port';
import type { RiskObservation } from './risk-observation';
import type { RiskSignals } from './risk-signals';

/** A country the user never verified from; silent until one is known, like the new-device signal. */
export function newCountrySignal(
  profile: RiskProfile | undefined,
  observation: RiskObservation,
): RiskSignals['newCountry'] {
  const country = observation.country;
  if (!country || !knowsCountries(profile)) return undefined;
  return Object.hasOwn(profile.countries, country) ? undefined : { country };
}

/**
 * No country for this request (the edge's `XX` or Tor's `T1`, an address not in the GeoIP
 * database, a location hook that gave none) from a user whose history has one. Otherwise
 * stripping the location would be the way around `newCountry`: a request that hides where it
 * comes from scores at least what a new country does. Before any country is known, silent.
 */
export function unknownCountrySignal(
  profile: RiskProfile | undefined,
  observation: RiskObservation,
): RiskSignals['unknownCountry'] {
  return !observation.country && knowsCountries(profile) ? true : undefined;
}

function knowsCountries(profile: RiskProfile | undefined): profile is RiskProfile {
  return profile !== undefined && Object.keys(profile.countries).length > 0;
}
