import { MfaError } from '../../../core/src';
import type { MfaHttpOptions } from '../mfa-options';
import type { MfaRequest } from '../subject-resolvers';

/**
 * CSRF defence for cookie-authenticated changes: browsers mark cross-site requests with
 * `Sec-Fetch-Site` and send `Origin` on every cross-origin POST/DELETE, and neither can
 * be set by a page. Clients that are not browsers send neither and carry no ambient cookie.
 * Every route marked `csrf: true` in `MFA_ROUTES` calls this before anything else.
 */
export function assertSameOrigin(req: MfaRequest, csrf: MfaHttpOptions['csrf'] = {}): void {
  if (csrf.enabled === false) return;
  const headers = req.headers ?? {};
  const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
  const allowed = (o: string) => csrf.allowedOrigins?.includes(o) ?? false;
  if (origin && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      throw new MfaError('CSRF_REJECTED');
    }
    if (host === headers.host || allowed(origin)) return;
    throw new MfaError('CSRF_REJECTED');
  }
  if (origin === 'null' || headers['sec-fetch-site'] === 'cross-site') throw new MfaError('CSRF_REJECTED');
}
