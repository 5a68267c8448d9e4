import type { MfaEngine, MfaSubject, RenewSessionId } from '../../core/src';
import { MfaError } from '../../core/src';
import type { MfaResponse } from './cookies';
import type { MfaRequest } from './subject-resolvers';

/** Whose session was just verified, and under which id. */
export interface SessionRenewalInfo {
  userId: string;
  sessionId: string;
}

/** The renewed session: its new id, and what the client needs to use it (e.g. a new token), answered under `session`. */
export interface RenewedSession {
  sessionId: string;
  response?: Record<string, unknown>;
}

/**
 * Renews the app's session id after a verification. Return the new id (MFA moves the
 * session's state there), or null to keep the id. Throwing voids the verification.
 */
export type RotateSession = (
  req: MfaRequest,
  res: MfaResponse | undefined,
  info: SessionRenewalInfo,
) => RenewedSession | null | undefined | Promise<RenewedSession | null | undefined>;

/**
 * express-session's renewal: `regenerate()` gives a new id (and destroys the old session in
 * the store); every key of the old session but the cookie moves over, so passport's
 * signed-in user and the app's own data survive; then it is saved under the new id.
 */
export async function regenerateExpressSession(req: MfaRequest): Promise<RenewedSession> {
  const kept = Object.entries(req.session as Record<string, unknown>).filter(([key]) => key !== 'cookie');
  await callback((done) => req.session.regenerate(done));
  Object.assign(req.session, Object.fromEntries(kept));
  await callback((done) => req.session.save(done));
  return { sessionId: String(req.sessionID) };
}

/** express-session when the subject is keyed by it; a token's `sid` is the token issuer's to renew. */
export const defaultRotateSession: RotateSession = (req, _res, info) =>
  typeof req.session?.regenerate === 'function' && req.sessionID === info.sessionId
    ? regenerateExpressSession(req)
    : null;

/**
 * Session fixation (ASVS 7.2.4): a verification must not raise an id that someone else may
 * have planted or seen. The app's id is renewed once the answer proved right and before
 * anything is spent; the engine then records the verification under the new id and moves
 * the session's state there in the same write. A renewal that fails voids the old id's MFA
 * state (503 SESSION_ROTATION_FAILED), so nothing ever counts under an id that did not change.
 */
export function verificationRenewal(
  engine: MfaEngine,
  rotate: RotateSession | undefined,
  req: MfaRequest,
  res: MfaResponse | undefined,
  subject: MfaSubject,
): { renew: RenewSessionId; answer(): { session?: Record<string, unknown> } } {
  let renewed: RenewedSession | null = null;
  return {
    renew: async () => {
      renewed = await rotateOrVoid(engine, rotate, req, res, subject);
      return renewed?.sessionId ?? null;
    },
    answer: () => (renewed?.response ? { session: renewed.response } : {}),
  };
}

/** The same renewal after a change made outside a challenge (a first factor confirmed): the state moves afterwards. */
export async function renewSession(
  engine: MfaEngine,
  rotate: RotateSession | undefined,
  req: MfaRequest,
  res: MfaResponse | undefined,
  subject: MfaSubject,
): Promise<{ subject: MfaSubject; answer: { session?: Record<string, unknown> } }> {
  const renewed = await rotateOrVoid(engine, rotate, req, res, subject);
  if (!renewed) return { subject, answer: {} };
  const answer = renewed.response ? { session: renewed.response } : {};
  if (renewed.sessionId === subject.sessionId) return { subject, answer };
  try {
    await engine.moveSession(subject.userId, subject.sessionId, renewed.sessionId);
  } catch (err) {
    await engine.forgetSession(subject.userId, subject.sessionId).catch(() => undefined);
    throw err; // the store is down: 503 MFA_UNAVAILABLE, and the new id holds nothing
  }
  return { subject: { ...subject, sessionId: renewed.sessionId }, answer };
}

async function rotateOrVoid(
  engine: MfaEngine,
  rotate: RotateSession | undefined,
  req: MfaRequest,
  res: MfaResponse | undefined,
  subject: MfaSubject,
): Promise<RenewedSession | null> {
  try {
    const renewed = await (rotate ?? defaultRotateSession)(req, res, {
      userId: subject.userId,
      sessionId: subject.sessionId,
    });
    if (renewed && (typeof renewed.sessionId !== 'string' || renewed.sessionId === ''))
      throw new TypeError('rotateSession returned no sessionId');
    return renewed ?? null;
  } catch (err) {
    process.stderr.write(
      `nestjs-mfa: renewing the session failed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}\n`,
    );
    await engine.forgetSession(subject.userId, subject.sessionId).catch(() => undefined); // the store's own failure surfaces below anyway
    throw new MfaError('SESSION_ROTATION_FAILED');
  }
}

function callback(run: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => run((err) => (err ? reject(err) : resolve())));
}
