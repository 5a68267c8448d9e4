import { sessionRefOf } from '../audit/audit-trail';
import { isMfaError } from '../errors/mfa.error';
import { FACTOR_TYPES } from '../policy/requirement';
import { FactorType } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { AttemptLimiter } from './attempt-limiter';
import type { ResolvedMfaContext } from '../options/mfa-context';

/**
 * A verify whose body was refused (an empty, `null`, numeric, array or object `code`) is
 * still a failed attempt (as Keycloak counts it) once it names a challenge of this session
 * and a factor type, because then the channel it was aimed at is known. Otherwise a script
 * could hit the verify endpoint without ever spending an attempt. A request that names no
 * such challenge, or no factor, points at nobody's channel and counts against no one. The
 * caller's answer stays the 400.
 */
export async function countMalformedVerify(
  ctx: Pick<ResolvedMfaContext, 'store'>,
  limiter: AttemptLimiter,
  subject: MfaSubject,
  challengeId: string,
  method: unknown,
): Promise<void> {
  if (typeof method !== 'string' || !(FACTOR_TYPES as readonly string[]).includes(method)) return;
  const challenge =
    challengeId.length >= 1 && challengeId.length <= 64 ? await ctx.store.findChallenge(challengeId) : null;
  if (!challenge || challenge.userId !== subject.userId || challenge.sessionRef !== sessionRefOf(subject.sessionId))
    return;
  await limiter
    .attempt(subject, method as FactorType, async () => null, 'malformed body')
    .catch((err: unknown) => {
      // INVALID_CODE or MFA_LOCKED: counted (or refused) either way; anything else is an outage and fails closed.
      if (!isMfaError(err)) throw err;
    });
}
