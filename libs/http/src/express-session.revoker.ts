import { MfaConfigurationError } from '../../core/src';
import type { AppSessionRevoker } from './other-sessions.offer';

type StoredSession = Record<string, any>;

/** The part of an express-session store the revoker uses: `all` (optional in express-session) and `destroy`. */
export interface ListableSessionStore {
  all?(callback: (err: any, sessions?: Record<string, StoredSession> | StoredSession[] | null) => void): void;
  destroy(sid: string, callback?: (err?: any) => void): void;
}

export interface ExpressSessionRevokerOptions {
  /**
   * The user a stored session belongs to, as MFA's user id.
   * @default passport's `session.passport.user` (or its `id`, `userId` or `sub` when passport stores an object)
   */
  userOf?: (session: StoredSession) => string | undefined;
}

function passportUser(session: StoredSession): string | undefined {
  const user = session.passport?.user;
  const id = user !== null && typeof user === 'object' ? (user.id ?? user.userId ?? user.sub) : user;
  return id === undefined || id === null || id === '' ? undefined : String(id);
}

/**
 * `endOtherSessions` for an express-session store that can list its sessions (MemoryStore,
 * connect-redis, …): destroys every session of the user but the current one, so each is
 * signed out entirely. Lists the whole store per call, which suits small stores; a large one
 * wants its own hook that deletes by user with one query.
 */
export function expressSessionRevoker(
  store: ListableSessionStore,
  options: ExpressSessionRevokerOptions = {},
): AppSessionRevoker {
  if (!store || typeof store.all !== 'function' || typeof store.destroy !== 'function') {
    throw new MfaConfigurationError(
      'expressSessionRevoker(store) needs a session store that can list its sessions (store.all()), such as MemoryStore or connect-redis. ' +
        "connect-pg-simple cannot: pass your own endOtherSessions, e.g. DELETE FROM \"session\" WHERE sess->'passport'->>'user' = $1 AND sid <> $2.",
    );
  }
  const userOf = options.userOf ?? passportUser;
  const others = async (userId: string, currentSessionId: string): Promise<string[]> => {
    const all = await new Promise<Record<string, StoredSession> | StoredSession[]>((resolve, reject) =>
      store.all!((err, sessions) => (err ? reject(err) : resolve(sessions ?? {}))),
    );
    const entries = Array.isArray(all) ? all.map((s): [string, StoredSession] => [sidOf(s), s]) : Object.entries(all);
    return entries
      .filter(([sid, session]) => sid !== currentSessionId && userOf(session) === userId)
      .map(([sid]) => sid);
  };
  const revoke: AppSessionRevoker = async (userId, currentSessionId) => {
    const sids = await others(userId, currentSessionId);
    await Promise.all(
      sids.map(
        (sid) => new Promise<void>((resolve, reject) => store.destroy(sid, (err) => (err ? reject(err) : resolve()))),
      ),
    );
    return sids.length;
  };
  revoke.count = async (userId, currentSessionId) => (await others(userId, currentSessionId)).length;
  return revoke;
}

/** Stores that answer with a list put the id on each session; one without cannot be ended, so nothing is skipped silently. */
function sidOf(session: StoredSession): string {
  const sid = session.id ?? session.sid;
  if (typeof sid !== 'string' || sid === '')
    throw new Error('The session store listed a session without its id; expressSessionRevoker cannot end it.');
  return sid;
}
