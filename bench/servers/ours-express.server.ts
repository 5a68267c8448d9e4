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
 *                                  takes `passkeys` (P8). Off by default, so the other figures keep their app.
 *
 * Internal endpoints (never part of a measurement): /bench/cpu, /bench/seed, /bench/trace, /bench/crypto.
 */
import 'reflect-metadata';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  randomUUID,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { DataSourceOptions } from 'typeorm';
import {
  buildRequirement,
  DEFAULT_TOTP_PROFILE,
  isMfaError,
  KeyRing,
  MfaEngine,
  totpSecretAad,
  TotpFactor,
} from '../../libs/core/src';
import { credentialKeyOf } from '../../libs/core/src/factors/passkey/passkey-enrollment';
import { sealPasskey } from '../../libs/core/src/factors/passkey/passkey-credential';
import type { RegistrationResponseJSON, WebAuthnCeremony } from '../../libs/core/src/factors/passkey/webauthn.ceremony';
import { DevOutbox } from '../../libs/delivery/src';
import type { CounterStore, MfaStore } from '../../libs/core/src';
import { RedisCounterStore } from '../../libs/redis/src';
import { createMfa } from '../../src/express';

interface BenchUser {
  id: string;
  email: string;
  salt?: Buffer;
  passwordHash?: Buffer;
}

const DB = process.env.MFA_BENCH_DB ?? 'sqlite';
const KEY = process.env.MFA_BENCH_KEY ?? randomBytes(32).toString('base64');
const SESSION_SECRET = process.env.MFA_BENCH_SESSION_SECRET ?? randomBytes(16).toString('hex');
const TAG = randomBytes(3).toString('hex'); // user ids stay unique when two instances share a database

/** Counts every statement the store sends, and keeps their text while tracing (P4/P5). */
const counts = { queries: 0, redis: 0 };
let trace: { queries: string[]; redis: string[] } | null = null;
const queryCounter = {
  logQuery: (query: string, parameters?: unknown[]) => {
    counts.queries++;
    if (!trace) return;
    const sql = query.replace(/\s+/g, ' ');
    // An audit row says which event it is (its `type`, e.g. challenge.verified).
    const type = /^INSERT INTO "mfa_audit_events"/.test(sql)
      ? parameters?.find((p) => typeof p === 'string' && /^[a-z_]+\.[a-z_]+$/.test(p))
      : undefined;
    const event = type ? ` [${type}]` : '';
    trace.queries.push(`${sql}${event}`);
  },
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

function databaseOptions(): DataSourceOptions {
  // MFA_BENCH_COUNT_QUERIES=0 leaves TypeORM's logging off, to check that counting costs nothing measurable.
  const counting = process.env.MFA_BENCH_COUNT_QUERIES === '0' ? {} : { logging: ['query'], logger: queryCounter };
  if (DB === 'postgres')
    return { type: 'postgres', url: process.env.MFA_BENCH_POSTGRES_URL, ...counting } as DataSourceOptions;
  const file = process.env.MFA_BENCH_SQLITE_FILE ?? join(mkdtempSync(join(tmpdir(), 'mfa-bench-')), 'mfa.sqlite');
  return { type: 'better-sqlite3', database: file, ...counting } as DataSourceOptions;
}

/** RedisCounterStore.connect (the library's own client settings), with its commands counted. */
async function redisCounters(): Promise<CounterStore> {
  const store = await RedisCounterStore.connect(process.env.MFA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/8');
  const client = (store as unknown as { redis: { sendCommand: (...args: any[]) => unknown } }).redis;
  const send = client.sendCommand.bind(client);
  client.sendCommand = (command: { name: string; args?: unknown[] }, ...rest: unknown[]) => {
    counts.redis++;
    trace?.redis.push(command.name.toUpperCase());
    return send(command, ...rest);
  };
  return store;
}

/** express-session's signed cookie: `s:` + id + `.` + HMAC-SHA256 (cookie-signature). */
function sessionCookie(sid: string): string {
  const signature = createHmac('sha256', SESSION_SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return `connect.sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

async function main(): Promise<void> {
  const users = new Map<string, BenchUser>();
  const byEmail = new Map<string, BenchUser>();
  const sessions = new session.MemoryStore();
  const counters = process.env.MFA_BENCH_COUNTERS === 'redis' ? await redisCounters() : undefined;
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
    ...(process.env.MFA_BENCH_WEBAUTHN === '1'
      ? { webauthn: { rpId: 'localhost', origins: ['http://localhost:3000'] } }
      : {}),
  });
  const engine: MfaEngine = await mfa.ready;
  const { store, webauthn } = (engine as unknown as { ctx: { store: MfaStore; webauthn: WebAuthnCeremony | null } })
    .ctx;
  const keyRing = new KeyRing({ keys: [{ id: 'k1', key: KEY }] });
  const totpFactor = new TotpFactor();
  const guardedTarget = { requirement: buildRequirement({}) }; // what mfa.requireMfa() guards with

  /**
   * The rows a confirmed passkey registration leaves (PasskeyEnrollment.register without its
   * challenge and backup codes, like the seeded TOTP rows): the library's own ceremony checks the
   * soft authenticator's registration, then the pending enrollment is activated with the sealed credential.
   */
  async function seedPasskey(
    userId: string,
    seed: { challenge: string; response: RegistrationResponseJSON },
    now: number,
  ): Promise<void> {
    if (!webauthn) throw new Error('passkeys are off: start the bench server with MFA_BENCH_WEBAUTHN=1');
    const credential = await webauthn.verifyRegistration(seed.response, seed.challenge);
    if (!credential) throw new Error('seed: the passkey registration did not verify');
    const id = randomUUID();
    await store.createEnrollment({
      id,
      userId,
      type: 'webauthn',
      status: 'pending',
      label: 'Passkey',
      sealedSecret: '',
      keyId: keyRing.currentKeyId,
      profile: null,
      maskedTarget: null,
      lastStep: null,
      createdAt: now - 60_000,
      confirmedAt: null,
      lastUsedAt: null,
      passkey: null,
    });
    const transports = ['internal'];
    const outcome = await store.activatePasskey(
      userId,
      id,
      {
        sealedSecret: sealPasskey(
          keyRing,
          { id: credential.id, publicKey: credential.publicKey, transports },
          userId,
          id,
        ),
        keyId: keyRing.currentKeyId,
        details: {
          credentialKey: credentialKeyOf(credential.id),
          aaguid: credential.aaguid,
          backupEligible: credential.backupEligible,
          backedUp: credential.backedUp,
          transports,
          attestation: credential.attestation,
        },
        signCount: credential.signCount,
      },
      now - 60_000,
    );
    if (outcome !== 'activated') throw new Error(`seed: passkey activation answered ${outcome}`);
  }

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

  // --- internal endpoints, before any middleware -------------------------------------------
  app.get('/bench/outbox', (_req, res) => {
    res.json({ last: outbox.messages()[0] ?? null });
  });
  app.get('/bench/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.get('/bench/cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ micros: user + system, queries: counts.queries, redis: counts.redis });
  });
  app.post('/bench/trace', express.json(), (req, res) => {
    if (req.body?.on) {
      trace = { queries: [], redis: [] };
      return res.json({ on: true });
    }
    const done = trace ?? { queries: [], redis: [] };
    trace = null;
    res.json(done);
  });

  /**
   * Pre-creates users, each with an active TOTP enrollment (the rows a confirmed enrollment
   * leaves), signed-in sessions (what passport's login stores) and, per session, the challenge
   * the guarded route opens — through the engine itself, exactly as a real request does.
   */
  app.post('/bench/seed', express.json({ limit: '10mb' }), async (req, res, next) => {
    try {
      const n: number = req.body.users ?? 1;
      const perUser: number = req.body.sessionsPerUser ?? 1;
      const wantChallenge = req.body.challenge !== false || req.body.verified === true;
      // The engine's own verify: over HTTP it would also renew the session id, which a seeded pool cannot follow.
      const verified = req.body.verified === true;
      const enroll = req.body.enroll !== false;
      const existing: Array<{ userId: string; email: string }> | undefined = req.body.existing;
      // One soft-authenticator registration per user: that user gets a passkey instead of TOTP.
      const passkeys: Array<{ challenge: string; response: RegistrationResponseJSON }> | undefined = req.body.passkeys;
      const salt = randomBytes(16);
      const passwordHash = req.body.password ? scryptSync(req.body.password, salt, 32, { N: 1024 }) : undefined;
      const now = Date.now();
      const out: Array<{
        userId: string;
        email: string;
        key?: string;
        sessions: Array<{ cookie: string; challengeId?: string }>;
      }> = [];
      let seq = users.size;
      const one = async (i: number) => {
        const user: BenchUser = existing?.[i]
          ? { id: existing[i].userId, email: existing[i].email, salt, passwordHash }
          : { id: `u-${TAG}-${++seq}`, email: `user-${TAG}-${seq}@bench.example`, salt, passwordHash };
        users.set(user.id, user);
        byEmail.set(user.email, user);
        let key: string | undefined;
        if (passkeys) await seedPasskey(user.id, passkeys[i], now);
        else if (enroll && !existing) {
          const id = randomUUID();
          const secret = totpFactor.createSecret();
          key = secret.toString('hex');
          await store.createEnrollment({
            id,
            userId: user.id,
            type: 'totp',
            status: 'active',
            label: 'Phone',
            sealedSecret: keyRing.seal(secret, totpSecretAad(user.id, id)),
            keyId: keyRing.currentKeyId,
            profile: { ...DEFAULT_TOTP_PROFILE },
            maskedTarget: null,
            lastStep: Math.floor(now / 30_000) - 2,
            createdAt: now - 60_000,
            confirmedAt: now - 60_000,
            lastUsedAt: now - 60_000,
          } as never);
        }
        const list: Array<{ cookie: string; challengeId?: string }> = [];
        for (let s = 0; s < perUser; s++) {
          const sid = randomBytes(24).toString('base64url');
          const data = {
            cookie: { originalMaxAge: null, expires: null, secure: false, httpOnly: true, path: '/', sameSite: 'lax' },
            passport: { user: user.id },
          };
          await new Promise<void>((resolve, reject) =>
            sessions.set(sid, data as never, (err) => (err ? reject(err) : resolve())),
          );
          let challengeId: string | undefined;
          if (wantChallenge) {
            const subject = { userId: user.id, sessionId: sid, groups: [], accountName: user.email, ip: '127.0.0.1' };
            try {
              await engine.enforce(subject, guardedTarget, {});
              throw new Error('a fresh session already satisfied the guarded route');
            } catch (err) {
              if (!isMfaError(err) || err.code !== 'MFA_REQUIRED') throw err;
              challengeId = (err.details.challenge as { id: string }).id;
            }
            if (verified && key) {
              await engine.verifyChallenge(
                subject,
                challengeId!,
                'totp',
                totpFactor.generate(Buffer.from(key, 'hex'), DEFAULT_TOTP_PROFILE, Date.now()),
              );
            }
          }
          list.push({ cookie: sessionCookie(sid), challengeId });
        }
        out[i] = { userId: user.id, email: user.email, key, sessions: list };
      };
      const count = existing?.length ?? passkeys?.length ?? n;
      let cursor = 0;
      await Promise.all(
        Array.from({ length: Math.min(8, count) }, async () => {
          while (cursor < count) await one(cursor++);
        }),
      );
      res.json({ users: out });
    } catch (err) {
      next(err);
    }
  });

  /** P3's floor: the crypto a verify cannot avoid — one AES-256-GCM open and the HMAC-SHA1s of the ±1 window. */
  app.post('/bench/crypto', express.json(), (req, res) => {
    const iterations: number = req.body?.iterations ?? 20_000;
    const userId = 'u-floor';
    const enrollmentId = randomUUID();
    const secret = randomBytes(20);
    const aad = totpSecretAad(userId, enrollmentId);
    const sealed = keyRing.seal(secret, aad);
    const rawKey = Buffer.from(KEY, 'base64');
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', rawKey, iv).setAAD(Buffer.from(aad));
    const body = Buffer.concat([c.update(secret), c.final()]);
    const tag = c.getAuthTag();
    const cpu = (run: () => void) => {
      for (let i = 0; i < 2000; i++) run(); // warm-up
      const t = process.cpuUsage();
      for (let i = 0; i < iterations; i++) run();
      const d = process.cpuUsage(t);
      return (d.user + d.system) / iterations;
    };
    const counter = Buffer.alloc(8);
    let sink = 0;
    const aesGcmOpen = cpu(() => {
      const d = createDecipheriv('aes-256-gcm', rawKey, iv);
      d.setAAD(Buffer.from(aad));
      d.setAuthTag(tag);
      Buffer.concat([d.update(body), d.final()]);
    });
    const hmacWindow = cpu(() => {
      const step = Math.floor(Date.now() / 30_000);
      for (let o = -1; o <= 1; o++) {
        counter.writeBigUInt64BE(BigInt(step + o));
        const mac = createHmac('sha1', secret).update(counter).digest();
        const off = mac[19] & 15;
        sink ^= (((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3]) % 1_000_000;
      }
    });
    // For comparison only: the same work through the library's KeyRing and otplib.
    const library = cpu(() => {
      const opened = keyRing.open(sealed, aad);
      totpFactor.matchStep(opened, '000000', DEFAULT_TOTP_PROFILE, Date.now());
    });
    res.json({ aesGcmOpen, hmacWindow, floorCrypto: aesGcmOpen + hmacWindow, library, sink });
  });

  // --- the app ------------------------------------------------------------------------------
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
