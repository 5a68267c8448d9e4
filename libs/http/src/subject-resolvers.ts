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

/** passport + express-session: `req.user` after `passport.session()`, keyed by `req.sessionID`. */
export const passportSessionSubject: ResolveSubject = (req) => {
  const user = req.user;
  const userId = user && typeof user === 'object' ? userIdOf(user) : null;
  if (!userId || typeof req.sessionID !== 'string' || !req.session) return null;
  return { userId, sessionId: req.sessionID, ...traits(req, user) };
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
