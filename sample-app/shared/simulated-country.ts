import type { NextFunction, Request, Response } from 'express';
import { readCookie } from './read-cookie';

/**
 * Development only: where this browser pretends to be. The sample trusts the country header an
 * edge such as Cloudflare writes on every request (`cf-ipcountry`); on localhost there is no
 * edge, so the home page stores a country in this cookie and `simulatedCountry` copies it into
 * the header. In production the middleware is not installed: the cookie means nothing there,
 * and only the edge decides the header.
 */
export const SIMULATED_COUNTRY_COOKIE = 'sample_country';

/** What the home page offers: far apart (Germany to Brazil is a trip no plane makes in minutes) and near (Germany, France). */
export const SIMULATED_COUNTRIES: { code: string; name: string }[] = [
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'BR', name: 'Brazil' },
  { code: 'JP', name: 'Japan' },
  { code: 'AU', name: 'Australia' },
];

// An ISO 3166-1 alpha-2 code and nothing else: the cookie is the client's own claim.
const COUNTRY_CODE = /^[A-Z]{2}$/;

/** The simulated country this request's cookie names, if it names a well-formed one. */
export function simulatedCountryOf(req: Pick<Request, 'headers'>): string | undefined {
  const value = readCookie(req, SIMULATED_COUNTRY_COOKIE);
  return value !== undefined && COUNTRY_CODE.test(value) ? value : undefined;
}

/**
 * Copies the cookie into `header` when the request has no such header of its own, so MFA reads
 * the simulated country exactly as it would read the edge's. Install it ahead of everything MFA
 * runs (its router, guard and middleware) and only in development: both samples gate it on the
 * same switch as the development outbox (devOutboxEnabled).
 */
export function simulatedCountry(header: string) {
  const name = header.toLowerCase();
  return (req: Request, _res: Response, next: NextFunction): void => {
    // A header that is there wins: a real edge in front of a development build, or a test's own.
    if (req.headers[name] === undefined) {
      const country = simulatedCountryOf(req);
      if (country) req.headers[name] = country;
    }
    next();
  };
}
