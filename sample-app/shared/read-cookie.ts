import type { Request } from 'express';

/**
 * One cookie's value from the request's Cookie header, without a cookie parser the samples do
 * not otherwise need; undefined when it is absent or not valid percent-encoding.
 */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
