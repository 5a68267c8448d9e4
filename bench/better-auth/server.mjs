// Better Auth's bench app: better-auth with its twoFactor plugin, email + password sign-in,
// mounted with toNodeHandler on Express 5 — the same shape as nestjs-mfa's bench app
// (bench/servers/ours-express.server.ts). Started by the benchmarks, configured by environment:
//
//   BA_BENCH_DB=sqlite|postgres   a better-sqlite3 file in WAL mode, or a pg Pool
//   BA_BENCH_SQLITE_FILE, BA_BENCH_POSTGRES_URL
//   BA_BENCH_LOCK_MAX             twoFactor accountLockout.maxFailedAttempts (default: Better Auth's, 10)
//
// The one production default changed: `rateLimit: { enabled: false }` (the per-IP rate limiter
// would otherwise answer 429 to a load test from one address). Everything else is as shipped.
// Internal endpoints (never part of a measurement): /bench/cpu, /bench/seed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import Database from 'better-sqlite3';
import pg from 'pg';
import { betterAuth } from 'better-auth';
import { twoFactor } from 'better-auth/plugins';
import { toNodeHandler } from 'better-auth/node';
import { generateRandomString, makeSignature, symmetricEncrypt } from 'better-auth/crypto';
import { getMigrations } from 'better-auth/db/migration';

const counts = { queries: 0 };
const kind = process.env.BA_BENCH_DB ?? 'sqlite';

function database() {
  if (kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: process.env.BA_BENCH_POSTGRES_URL });
    pool.on('connect', (client) => {
      const query = client.query.bind(client);
      client.query = (...args) => {
        counts.queries++;
        return query(...args);
      };
    });
    return { database: pool, close: () => pool.end() };
  }
  const file = process.env.BA_BENCH_SQLITE_FILE ?? join(mkdtempSync(join(tmpdir(), 'ba-bench-')), 'ba.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const prepare = db.prepare.bind(db);
  db.prepare = (sql) => {
    counts.queries++;
    return prepare(sql);
  };
  return { database: db, close: async () => db.close() };
}

async function main() {
  const app = express();
  app.set('etag', false);
  let auth;
  let authHandler;

  app.get('/bench/hello', (_req, res) => {
    res.json({ hello: 'world' });
  });
  app.get('/bench/cpu', (_req, res) => {
    const { user, system } = process.cpuUsage();
    res.json({ micros: user + system, queries: counts.queries, redis: 0 });
  });

  // Pre-creates users (user row; with a password also the credential account row sign-up makes),
  // each with a verified twoFactor row (what /two-factor/enable + verify-totp leave), and per
  // "session" the rows Better Auth's sign-in hook writes when 2FA is pending: the `2fa-…`
  // verification holding the user id, its `2fa-attempts-…` counter, and the signed two_factor cookie.
  app.post('/bench/seed', express.json({ limit: '10mb' }), async (req, res, next) => {
    try {
      const ctx = await auth.$context;
      const n = req.body.users ?? 1;
      const perUser = req.body.sessionsPerUser ?? 1;
      const existing = req.body.existing;
      const passwordHash = req.body.password ? await ctx.password.hash(req.body.password) : undefined;
      const cookieName = ctx.createAuthCookie('two_factor').name;
      const maxAge = 600; // twoFactorCookieMaxAge default
      const out = [];
      const one = async (i) => {
        let user;
        let key;
        if (existing?.[i]) {
          user = { id: existing[i].userId, email: existing[i].email };
        } else {
          const email = `user-${generateRandomString(12, 'a-z', '0-9')}@bench.example`;
          user = await ctx.internalAdapter.createUser({ email, name: email, emailVerified: true });
          if (passwordHash) {
            await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: 'credential', accountId: user.id, password: passwordHash });
          }
          const secret = generateRandomString(32);
          key = Buffer.from(secret, 'utf8').toString('hex');
          const codes = Array.from({ length: 10 }, () => generateRandomString(10, 'a-z', '0-9', 'A-Z')).map((c) => `${c.slice(0, 5)}-${c.slice(5)}`);
          await ctx.adapter.create({
            model: 'twoFactor',
            data: {
              secret: await symmetricEncrypt({ key: ctx.secretConfig, data: secret }),
              backupCodes: await symmetricEncrypt({ key: ctx.secretConfig, data: JSON.stringify(codes) }),
              userId: user.id,
              verified: true,
            },
          });
          user = await ctx.internalAdapter.updateUser(user.id, { twoFactorEnabled: true });
        }
        const sessions = [];
        for (let s = 0; s < perUser; s++) {
          const identifier = `2fa-${generateRandomString(20)}`;
          const expiresAt = new Date(Date.now() + maxAge * 1000);
          await ctx.internalAdapter.createVerificationValue({ value: user.id, identifier, expiresAt });
          await ctx.internalAdapter.createVerificationValue({ value: '0', identifier: `2fa-attempts-${identifier}`, expiresAt });
          const signed = encodeURIComponent(`${identifier}.${await makeSignature(identifier, ctx.secret)}`);
          sessions.push({ cookie: `${cookieName}=${signed}` });
        }
        out[i] = { userId: user.id, email: user.email, key, sessions };
      };
      const count = existing?.length ?? n;
      let cursor = 0;
      await Promise.all(Array.from({ length: Math.min(8, count) }, async () => {
        while (cursor < count) await one(cursor++);
      }));
      res.json({ users: out });
    } catch (err) {
      next(err);
    }
  });

  app.all('/api/auth/*splat', (req, res) => authHandler(req, res));
  app.use((err, _req, res, _next) => {
    process.stderr.write(`better-auth bench server error: ${err?.stack ?? err}\n`);
    res.status(500).json({ error: String(err?.message ?? err) });
  });

  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = server.address().port;
  const db = database();
  const lockMax = process.env.BA_BENCH_LOCK_MAX ? Number(process.env.BA_BENCH_LOCK_MAX) : undefined;
  const options = {
    baseURL: `http://127.0.0.1:${port}`,
    secret: process.env.BA_BENCH_SECRET ?? randomBytes(32).toString('hex'),
    database: db.database,
    emailAndPassword: { enabled: true },
    plugins: [twoFactor(lockMax ? { accountLockout: { maxFailedAttempts: lockMax } } : undefined)],
    rateLimit: { enabled: false },
  };
  const { runMigrations } = await getMigrations(options);
  await runMigrations();
  auth = betterAuth(options);
  authHandler = toNodeHandler(auth);
  process.send?.({ port });

  const exit = async () => {
    server.close();
    await db.close().catch(() => undefined);
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
