import { createHash } from 'node:crypto';
import type { MfaSubject } from '../../core/src';

/** Any request shape: Express, Fastify or a GraphQL context's req. */
export type MfaRequest = Record<string, any>;
export type ResolveSubject = (req: MfaRequest) => MfaSubject | null | Promise<MfaSubject | null>;

function userIdOf(user: Record<string, any>): string | null {
  const id = user.id ?? user.userId ?? user.sub;
  return id === undefined || id === null || id === '' ? null : String(id);
}

function traits(
  req: MfaRequest,
  user: Record<string, any>,
): Pick<MfaSubject, 'groups' | 'accountName' | 'ip' | 'userAgent'> {
  const groups: unknown[] = Array.isArray(user.groups) ? user.groups : Array.isArray(user.roles) ? user.roles : [];
  const userAgent = req.headers?.['user-agent'];
  return {
    groups: groups.every((g) => typeof g === 'string') ? (groups as string[]) : groups.map(String),
    accountName: String(user.email ?? user.username ?? user.name ?? userIdOf(user)),
    ip: typeof req.ip === 'string' ? req.ip : undefined,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
  };
}

/** Where a session keeps the key of its MFA state; it moves with the session's data. */
export const MFA_SESSION_REF_KEY = 'mfaSessionRef';

/**
 * passport + express-session: `req.user` after `passport.session()`. MFA's state is keyed by
 * a reference kept in the session's own data, so renewing the session id (which copies the
 * data) needs no store write, and a new login (passport drops the data) starts empty. It is
 * derived from the first session id rather than drawn at random, so parallel first requests
 * of one session agree on it.
 */
export const passportSessionSubject: ResolveSubject = (req) => {
  const user = req.user;
  const userId = user && typeof user === 'object' ? userIdOf(user) : null;
  if (!userId || typeof req.sessionID !== 'string' || !req.session) return null;
  let ref = req.session[MFA_SESSION_REF_KEY];
  if (typeof ref !== 'string' || !ref) {
    ref = `s.${createHash('sha256').update(`nestjs-mfa session ${req.sessionID}`).digest('base64url')}`;
    req.session[MFA_SESSION_REF_KEY] = ref;
  }
  return { userId, sessionId: ref as string, ...traits(req, user) };
};

/** A JWT strategy that puts the token's claims on `req.user`: `sub` is the user, `sid` the session. */
export const jwtSidSubject: ResolveSubject = (req) => {
  const user = req.user;
  if (!user || typeof user !== 'object' || typeof user.sid !== 'string' || !user.sid) return null;
  const userId = userIdOf(user);
  return userId ? { userId, sessionId: user.sid, ...traits(req, user) } : null;
};

/** A token's `sid` wins over a cookie session: express-session may mint a throwaway id per request. */
export const defaultResolveSubject: ResolveSubject = (req) => jwtSidSubject(req) ?? passportSessionSubject(req);
