/**
 * nestjs-mfa's bench app: Express 5 + express-session + passport-local + createMfa(),
 * the same shape as the Better Auth bench app (email + password sign-in, TOTP second factor).
 * Started by the benchmarks (bench/lib/servers.ts), configured by environment:
 *
 *   MFA_BENCH_DB=sqlite|postgres   store: the embedded default (a SQLite file, WAL) or PostgreSQL
 *   MFA_BENCH_COUNTERS=memory|redis attempt counters: in-process (the default) or RedisCounterStore
 *   MFA_BENCH_SQLITE_FILE, MFA_BENCH_POSTGRES_URL, MFA_BENCH_REDIS_URL
 *   MFA_BENCH_KEY, MFA_BENCH_SESSION_SECRET   shared by two instances of one run
 *   MFA_BENCH_LOCK_MAX             lockout.maxAttempts (default 5, the library's default)
 *   MFA_BENCH_WEBAUTHN=1           passkeys on (RP 'localhost', origin http://localhost:3000); /bench/seed then
 *                                  takes `passkeys` (P2 passkey). Off by default, so the other figures keep their app.
 *   MFA_BENCH_RETENTION=0          background retention off (P8 prunes on its own schedule); on by default, as shipped
 *
 * Internal endpoints (never part of a measurement): /bench/seed (bench-seed.routes.ts), /bench/cpu,
 * /bench/trace, /bench/crypto, /bench/hello, /bench/outbox, /bench/memory (bench-probes.routes.ts).
 */
import 'reflect-metadata';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { DataSourceOptions } from 'typeorm';
import { KeyRing, MfaEngine } from '../../libs/core/src';
import type { MfaStore } from '../../libs/core/src';
import type { WebAuthnCeremony } from '../../libs/core/src/factors/passkey/webauthn.ceremony';
import { DevOutbox } from '../../libs/delivery/src';
import { createMfa } from '../../src/express';
import { queryCounter, redisCounters } from './bench-counting';
import { mountProbeRoutes } from './bench-probes.routes';
import { BenchUser, mountSeedRoutes } from './bench-seed.routes';

const DB = process.env.MFA_BENCH_DB ?? 'sqlite';
const KEY = process.env.MFA_BENCH_KEY ?? randomBytes(32).toString('base64');
const SESSION_SECRET = process.env.MFA_BENCH_SESSION_SECRET ?? randomBytes(16).toString('hex');
const TAG = randomBytes(3).toString('hex'); // user ids stay unique when two instances share a database

function databaseOptions(): DataSourceOptions {
  // MFA_BENCH_COUNT_QUERIES=0 leaves TypeORM's logging off, to check that counting costs nothing measurable.
  const counting = process.env.MFA_BENCH_COUNT_QUERIES === '0' ? {} : { logging: ['query'], logger: queryCounter };
  if (DB === 'postgres')
    return { type: 'postgres', url: process.env.MFA_BENCH_POSTGRES_URL, ...counting } as DataSourceOptions;
  const file = process.env.MFA_BENCH_SQLITE_FILE ?? join(mkdtempSync(join(tmpdir(), 'mfa-bench-')), 'mfa.sqlite');
  return { type: 'better-sqlite3', database: file, ...counting } as DataSourceOptions;
}

async function main(): Promise<void> {
  const users = new Map<string, BenchUser>();
  const byEmail = new Map<string, BenchUser>();
  const sessions = new session.MemoryStore();
  const counters =
    process.env.MFA_BENCH_COUNTERS === 'redis'
      ? await redisCounters(process.env.MFA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/8')
      : undefined;
  const lockMax = Number(process.env.MFA_BENCH_LOCK_MAX ?? 5);
  const sessionCacheTtl =
    process.env.MFA_BENCH_SESSION_CACHE_TTL === undefined ? undefined : Number(process.env.MFA_BENCH_SESSION_CACHE_TTL);

  // SMS codes go to an in-memory outbox (no provider): P5 counts the store and counter work of a send.
  const outbox = new DevOutbox();
  const mfa = createMfa({
    sms: outbox.sms,
    delivery: {
      resendCooldownSeconds: 0,
      perUserHour: 1_000_000,
      perUserDay: 1_000_000,
      perDestinationHour: 1_000_000,
      perDestinationDay: 1_000_000,
    },
    issuer: 'nestjs-mfa bench',
    encryption: { keys: [{ id: 'k1', key: KEY }] },
    database: databaseOptions(),
    audit: 'database',
    ...(counters ? { counters } : {}),
    ...(sessionCacheTtl === undefined ? {} : { sessionCacheTtl }),
    lockout: { maxAttempts: lockMax },
    ...(process.env.MFA_BENCH_RETENTION === '0' ? { retention: { enabled: false } } : {}),
    ...(process.env.MFA_BENCH_WEBAUTHN === '1'
      ? { webauthn: { rpId: 'localhost', origins: ['http://localhost:3000'] } }
      : {}),
  });
  const engine: MfaEngine = await mfa.ready;
  const { store, webauthn } = (engine as unknown as { ctx: { store: MfaStore; webauthn: WebAuthnCeremony | null } })
    .ctx;
  const keyRing = new KeyRing({ keys: [{ id: 'k1', key: KEY }] });

  const passport = new Passport();
  passport.use(
    new LocalStrategy((username, password, done) => {
      const user = byEmail.get(username);
      if (!user?.passwordHash || !user.salt) return done(null, false);
      const ok = timingSafeEqual(scryptSync(password, user.salt, 32, { N: 1024 }), user.passwordHash);
      done(null, ok ? user : false);
    }),
  );
  passport.serializeUser<string>((user, done) => done(null, (user as BenchUser).id));
  passport.deserializeUser<string>((id, done) => {
    const user = users.get(id);
    done(null, user ? { id: user.id, email: user.email } : false);
  });

  const app = express();
  app.set('etag', false);

  // Internal endpoints go before any middleware, so no session or passport work is in their numbers.
  mountProbeRoutes(app, { engine, keyRing, key: KEY, outbox, sessions });
  mountSeedRoutes(app, {
    engine,
    store,
    webauthn,
    keyRing,
    sessions,
    users,
    byEmail,
    tag: TAG,
    sessionSecret: SESSION_SECRET,
  });

  app.use(
    session({
      secret: SESSION_SECRET,
      store: sessions,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: false },
    }),
  );
  app.use(passport.initialize());
  app.use(passport.session());
  app.post('/auth/login', express.json(), (req: Request, res: Response, next: NextFunction) =>
    passport.authenticate('local', (err: unknown, user: BenchUser | false) => {
      if (err) return next(err);
      if (!user) return res.status(401).json({ code: 'INVALID_CREDENTIALS' });
      req.logIn({ id: user.id, email: user.email } as never, (loginErr) =>
        loginErr ? next(loginErr) : res.json({ user: { id: user.id } }),
      );
    })(req, res, next),
  );
  // P9 signs out after each flow, or its sign-ins would pile up in the MemoryStore and read as a leak.
  app.post('/auth/logout', (req: Request, res: Response, next: NextFunction) =>
    req.session.destroy((err) => (err ? next(err) : res.json({ ok: true }))),
  );
  app.use(mfa.router);
  app.get('/bench/open', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/bench/guarded', mfa.requireMfa(), (_req, res) => {
    res.json({ ok: true });
  });
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    process.stderr.write(`bench server error: ${err.stack ?? err}\n`);
    res.status(500).json({ error: err.message });
  });

  const server = app.listen(0, '127.0.0.1', () => {
    process.send?.({ port: (server.address() as { port: number }).port });
  });
  const exit = async () => {
    server.close();
    await mfa.close().catch(() => undefined);
    await counters?.close?.();
    process.exit(0);
  };
  process.on('message', (m) => m === 'exit' && void exit());
  process.on('disconnect', () => void exit());
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.send?.({ error: String(err?.stack ?? err) });
  process.exit(1);
});
