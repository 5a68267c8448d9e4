/**
 * The two libraries behind one interface: start the bench app, pre-create challenges through
 * the library's own storage, sign in for real, and build the challenge-completing request.
 */
import { BA_POSTGRES_URL, POSTGRES_URL, REDIS_URL } from './bench-env';
import { cookieFrom, RequestSpec } from './load';
import { BA_SERVER, BenchServer, OURS_SERVER, startServer } from './servers';

export type SideName = 'ours' | 'better-auth';
export type DbKind = 'sqlite' | 'postgres';

/** One pending challenge: the session (cookie) it belongs to and the TOTP key of its user. */
export interface PoolEntry {
  userId: string;
  email: string;
  key: Buffer;
  cookie: string;
  challengeId?: string;
}

export interface SeedOptions {
  users: number;
  sessionsPerUser?: number;
  /** Also store a password, so the user can sign in for real. */
  password?: string;
  /** false: sessions only (no challenge yet). */
  challenge?: boolean;
  /** Answer each session's challenge through the engine, leaving satisfied sessions under the seeded cookie. */
  verified?: boolean;
  /** Sessions for users that already exist (enrolled through another instance). */
  existing?: Array<{ userId: string; email: string; key: Buffer }>;
}

export interface Side {
  name: SideName;
  label: string;
  server: BenchServer;
  seed(opts: SeedOptions): Promise<PoolEntry[]>;
  /** The request that answers the entry's challenge with `code`. */
  verify(e: PoolEntry, code: string): RequestSpec;
  isVerified(status: number, body: string): boolean;
  isInvalidCode(status: number, body: string): boolean;
  /** A real email + password sign-in that leaves a pending TOTP challenge. */
  signIn(user: { email: string; key: Buffer; userId: string }, password: string): Promise<PoolEntry>;
  stop(): Promise<void>;
}

async function seedVia(server: BenchServer, opts: SeedOptions): Promise<PoolEntry[]> {
  const out: PoolEntry[] = [];
  const chunk = 1000;
  const total = opts.existing?.length ?? opts.users;
  for (let start = 0; start < total; start += chunk) {
    const n = Math.min(chunk, total - start);
    const existing = opts.existing?.slice(start, start + n);
    const res = await server.post<{
      users: Array<{
        userId: string;
        email: string;
        key?: string;
        sessions: Array<{ cookie: string; challengeId?: string }>;
      }>;
    }>('/bench/seed', {
      users: n,
      sessionsPerUser: opts.sessionsPerUser ?? 1,
      password: opts.password,
      challenge: opts.challenge,
      verified: opts.verified,
      existing: existing?.map(({ userId, email }) => ({ userId, email })),
    });
    res.users.forEach((u, i) => {
      const key = u.key ? Buffer.from(u.key, 'hex') : existing![i].key;
      const sessions = u.sessions.length ? u.sessions : [{ cookie: '', challengeId: undefined }];
      for (const s of sessions)
        out.push({ userId: u.userId, email: u.email, key, cookie: s.cookie, challengeId: s.challengeId });
    });
  }
  return out;
}

const json = { 'content-type': 'application/json' };

export async function startOurs(name: string, db: DbKind, env: Record<string, string> = {}): Promise<Side> {
  // No NODE_ENV: nothing in nestjs-mfa reads it (and express-session would warn about its MemoryStore).
  const server = await startServer(name, OURS_SERVER, {
    MFA_BENCH_DB: db,
    MFA_BENCH_POSTGRES_URL: POSTGRES_URL,
    MFA_BENCH_REDIS_URL: REDIS_URL,
    ...env,
  });
  return {
    name: 'ours',
    label: 'nestjs-mfa',
    server,
    seed: (opts) => seedVia(server, opts),
    verify: (e, code) => ({
      method: 'POST',
      path: `/mfa/challenges/${e.challengeId}/verify`,
      headers: { ...json, cookie: e.cookie },
      body: JSON.stringify({ method: 'totp', code }),
    }),
    isVerified: (status, body) => status === 200 && body.includes('"verified":true'),
    isInvalidCode: (status, body) => status === 401 && body.includes('"INVALID_CODE"'),
    async signIn(user, password) {
      const login = await fetch(`${server.base}/auth/login`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ username: user.email, password }),
      });
      if (login.status !== 200) throw new Error(`ours sign-in: ${login.status}`);
      const cookie = cookieFrom(login.headers.getSetCookie(), 'connect.sid');
      const guarded = await fetch(`${server.base}/bench/guarded`, { headers: { cookie } });
      const body = (await guarded.json()) as { code?: string; challenge?: { id: string } };
      if (guarded.status !== 401 || !body.challenge)
        throw new Error(`ours guarded route: ${guarded.status} ${JSON.stringify(body)}`);
      return { ...user, cookie, challengeId: body.challenge.id };
    },
    stop: () => server.stop(),
  };
}

export async function startBetterAuth(name: string, db: DbKind, env: Record<string, string> = {}): Promise<Side> {
  const server = await startServer(name, BA_SERVER, {
    NODE_ENV: 'production',
    BA_BENCH_DB: db,
    BA_BENCH_POSTGRES_URL: BA_POSTGRES_URL,
    ...env,
  });
  const origin = server.base;
  return {
    name: 'better-auth',
    label: 'Better Auth',
    server,
    seed: (opts) => seedVia(server, opts),
    verify: (e, code) => ({
      method: 'POST',
      path: '/api/auth/two-factor/verify-totp',
      headers: { ...json, cookie: e.cookie, origin },
      body: JSON.stringify({ code }),
    }),
    isVerified: (status, body) => status === 200 && body.includes('"token"'),
    isInvalidCode: (status, body) => status === 401 && body.includes('"INVALID_CODE"'),
    async signIn(user, password) {
      const res = await fetch(`${server.base}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { ...json, origin },
        body: JSON.stringify({ email: user.email, password }),
      });
      const body = (await res.json()) as { twoFactorRedirect?: boolean };
      if (res.status !== 200 || !body.twoFactorRedirect)
        throw new Error(`Better Auth sign-in: ${res.status} ${JSON.stringify(body)}`);
      return { ...user, cookie: cookieFrom(res.headers.getSetCookie(), 'better-auth.two_factor') };
    },
    stop: () => server.stop(),
  };
}
