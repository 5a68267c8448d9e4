import type { MfaRequest } from './subject-resolvers';

/** Reads one cookie from the Cookie header, without needing cookie-parser in the host app. */
export function readCookie(req: MfaRequest, name: string): string | undefined {
  const header = req.headers?.cookie;
  if (typeof header !== 'string' || !header.includes(name)) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The response calls MFA makes: Express's `res` (also Nest on Express) has them all. */
export interface MfaResponse {
  cookie?(name: string, value: string, options: Record<string, unknown>): unknown;
  setHeader?(name: string, value: string): unknown;
}
