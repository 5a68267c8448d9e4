import type { MfaEngine, MfaSubject, RequestContext } from '../../core/src';
import { isMfaError, MfaError } from '../../core/src';

/**
 * Ends the user's sessions of your app other than the current one; resolves to how many.
 * `count`, when given, says how many there are without ending them (for the offer in answers).
 */
export interface AppSessionRevoker {
  (userId: string, currentSessionId: string): Promise<number>;
  count?: (userId: string, currentSessionId: string) => Promise<number>;
}

/** Where the user ends their other sessions, and how many there are (null: unknown just now). */
export interface OtherSessionsOffer {
  count: number | null;
  revoke?: { verb: 'POST'; href: string };
}

export const REVOKE_OTHERS_PATH = 'sessions/revoke-others';

/**
 * ASVS 7.4.3: after a factor changes, the user is offered the end of their other sessions.
 * The count is the app's when its revoker can count (it knows who is signed in), else the
 * sessions holding MFA state. Best effort: the change it accompanies has already happened.
 * `currentSessionId` omitted (an admin acting on the user): all of the user's sessions, no link.
 */
export async function otherSessionsOffer(
  engine: MfaEngine,
  revoker: AppSessionRevoker | undefined,
  routePrefix: string,
  userId: string,
  currentSessionId?: string,
): Promise<OtherSessionsOffer> {
  const count = await countOthers(engine, revoker, userId, currentSessionId);
  if (currentSessionId === undefined) return { count };
  return { count, revoke: { verb: 'POST', href: `/${routePrefix.replace(/^\/+|\/+$/g, '')}/${REVOKE_OTHERS_PATH}` } };
}

async function countOthers(
  engine: MfaEngine,
  revoker: AppSessionRevoker | undefined,
  userId: string,
  currentSessionId?: string,
): Promise<number | null> {
  if (revoker?.count) {
    try {
      return await revoker.count(userId, currentSessionId ?? '');
    } catch {
      // fall back to MFA's own count
    }
  }
  try {
    return await engine.countOtherSessions(userId, currentSessionId);
  } catch {
    return null;
  }
}

/**
 * `POST /mfa/sessions/revoke-others`: MFA state of every other session goes first (MFA's own
 * guarantee), then the app's hook ends those sessions. A hook that fails answers 503 and
 * may be retried; the MFA state is already gone.
 */
export async function endOtherSessions(
  engine: MfaEngine,
  revoker: AppSessionRevoker | undefined,
  subject: MfaSubject,
  context: RequestContext,
): Promise<{ mfaStateVoided: number; sessionsEnded: number | null }> {
  const mfaStateVoided = await engine.revokeOtherSessions(subject, context);
  const sessionsEnded = revoker ? await revoker(subject.userId, subject.sessionId) : null;
  return { mfaStateVoided, sessionsEnded };
}

/** The refusal that starts a forced re-enrollment also offers the end of the user's other sessions. */
export async function withSessionsOffer(err: unknown, offer: () => Promise<OtherSessionsOffer>): Promise<unknown> {
  if (!isMfaError(err) || err.code !== 'MFA_ENROLLMENT_REQUIRED' || err.details.reason !== 'reenrollment_forced')
    return err;
  return new MfaError(
    'MFA_ENROLLMENT_REQUIRED',
    { ...err.details, otherSessions: await offer() },
    err.retryAfterSeconds,
  );
}
