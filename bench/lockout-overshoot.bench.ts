/**
 * P7, lockout overshoot: with a lock limit of N = 5 failures, 20 concurrent connections send
 * wrong TOTP codes for one user (20 signed-in sessions, each with its own pending challenge,
 * 10 attempts each). Evaluated failures = answers "invalid code"; overshoot = evaluated − N.
 *   npm run bench:lockout
 * nestjs-mfa on the embedded default, on PostgreSQL + Redis, and on two instances sharing them;
 * Better Auth (twoFactor accountLockout.maxFailedAttempts = 5, rate limiter off) on SQLite and PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { BA_POSTGRES_URL, fmt, median, POSTGRES_URL, SMOKE } from './lib/bench-env';
import { wrongTotp } from './lib/load';
import { Report, runBench } from './lib/report';
import { BA_MISSING, betterAuthInstalled } from './lib/servers';
import { resetPostgres, resetRedis, services } from './lib/services';
import { PoolEntry, Side, startBetterAuth, startOurs } from './lib/sides';

const N = 5;
const CONNECTIONS = 20;
const ATTEMPTS_EACH = 10;
const TRIALS = Number(process.env.MFA_BENCH_TRIALS ?? (SMOKE ? 1 : 5));

/** One attack on a fresh user; returns how many wrong codes were evaluated and what the others got. */
async function attack(sides: Side[]): Promise<{ evaluated: number; answers: Record<string, number> }> {
  const [first] = sides;
  const [user] = await first.seed({ users: 1, sessionsPerUser: 0 });
  // The user's 20 sessions (sign-ins), spread over the instances.
  const sessions: Array<{ side: Side; entry: PoolEntry }> = [];
  for (const side of sides) {
    const count = CONNECTIONS / sides.length;
    const entries = await side.seed({
      users: 1,
      sessionsPerUser: count,
      existing: [{ userId: user.userId, email: user.email, key: user.key }],
    });
    for (const entry of entries) sessions.push({ side, entry: { ...entry, key: user.key } });
  }
  const answers: Record<string, number> = {};
  let evaluated = 0;
  await Promise.all(
    sessions.map(async ({ side, entry }) => {
      for (let k = 0; k < ATTEMPTS_EACH; k++) {
        const spec = side.verify(entry, wrongTotp(entry.key, Date.now()));
        const res = await fetch(side.server.base + spec.path, {
          method: 'POST',
          headers: spec.headers,
          body: spec.body,
        });
        const body = await res.text();
        if (side.isInvalidCode(res.status, body)) evaluated++;
        let code = '';
        try {
          code = (JSON.parse(body) as { code?: string }).code ?? '';
        } catch {
          code = body.slice(0, 40);
        }
        const key = `${res.status} ${code}`.trim();
        answers[key] = (answers[key] ?? 0) + 1;
      }
    }),
  );
  return { evaluated, answers };
}

runBench(async () => {
  const report = new Report('P7', 'lockout overshoot under 20 concurrent wrong codes', 'bench:lockout');
  report.text(
    `One user, lock limit N = ${N} failures, ${CONNECTIONS} concurrent connections, each on its own signed-in session with its own pending challenge, ` +
      `${ATTEMPTS_EACH} wrong codes each (${CONNECTIONS * ATTEMPTS_EACH} requests). A failure is *evaluated* when the answer is "invalid code" ` +
      '(the code was checked); locked answers are not. Overshoot = evaluated − N. ' +
      `nestjs-mfa: \`lockout.maxAttempts: ${N}\` (its default). Better Auth: twoFactor \`accountLockout: { maxFailedAttempts: ${N} }\` (its default is 10), ` +
      'its per-challenge cap of 5 attempts as shipped, the rate limiter off as in P2 (it limits per IP, not per user). ' +
      `${TRIALS} trials per row, each on a fresh user.`,
  );
  report.text();
  const svc = await services();
  const pgRedis = svc.postgres ?? svc.redis;
  const configs: Array<{ label: string; skip?: string; start: () => Promise<Side[]> }> = [
    {
      label: 'nestjs-mfa, embedded default (SQLite + in-process counters)',
      start: async () => [await startOurs('p7-ours-sqlite', 'sqlite', { MFA_BENCH_LOCK_MAX: String(N) })],
    },
    {
      label: 'nestjs-mfa, PostgreSQL + Redis counters',
      skip: pgRedis ?? undefined,
      start: async () => {
        await resetPostgres(POSTGRES_URL);
        await resetRedis();
        return [
          await startOurs('p7-ours-pg', 'postgres', { MFA_BENCH_COUNTERS: 'redis', MFA_BENCH_LOCK_MAX: String(N) }),
        ];
      },
    },
    {
      label: 'nestjs-mfa, two instances on PostgreSQL + Redis (10 connections each)',
      skip: pgRedis ?? undefined,
      start: async () => {
        await resetPostgres(POSTGRES_URL);
        await resetRedis();
        const env = {
          MFA_BENCH_COUNTERS: 'redis',
          MFA_BENCH_LOCK_MAX: String(N),
          MFA_BENCH_KEY: randomBytes(32).toString('base64'),
        };
        const a = await startOurs('p7-ours-pg-1', 'postgres', env);
        return [a, await startOurs('p7-ours-pg-2', 'postgres', env)];
      },
    },
    {
      label: 'Better Auth, SQLite (WAL)',
      skip: betterAuthInstalled() ? undefined : BA_MISSING,
      start: async () => [await startBetterAuth('p7-better-auth-sqlite', 'sqlite', { BA_BENCH_LOCK_MAX: String(N) })],
    },
    {
      label: 'Better Auth, PostgreSQL',
      skip: !betterAuthInstalled() ? BA_MISSING : (svc.postgres ?? undefined),
      start: async () => {
        await resetPostgres(BA_POSTGRES_URL);
        return [await startBetterAuth('p7-better-auth-pg', 'postgres', { BA_BENCH_LOCK_MAX: String(N) })];
      },
    },
  ];
  const rows: Array<Array<string | number>> = [];
  for (const config of configs) {
    if (config.skip) {
      report.skip(config.label, config.skip);
      continue;
    }
    const sides = await config.start();
    try {
      const trials = [];
      for (let t = 0; t < TRIALS; t++) trials.push(await attack(sides));
      const over = trials.map((t) => t.evaluated - N);
      const answers: Record<string, number> = {};
      for (const t of trials) for (const [k, v] of Object.entries(t.answers)) answers[k] = (answers[k] ?? 0) + v;
      const answerText = Object.entries(answers)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} × ${fmt(v / trials.length, v % trials.length ? 1 : 0)}`)
        .join(', ');
      rows.push([
        config.label,
        trials.map((t) => t.evaluated).join(', '),
        `**${fmt(median(over))}**`,
        fmt(Math.max(...over)),
        answerText,
      ]);
      report.log(`${config.label}: evaluated ${trials.map((t) => t.evaluated).join(', ')}`);
      const ours = sides[0].name === 'ours';
      report.figure({
        id: 'P7',
        label: `lockout overshoot (median of ${TRIALS}, max ${fmt(Math.max(...over))}), ${config.label}`,
        value: fmt(median(over)),
        ...(ours ? { goal: '0', met: Math.max(...over) === 0 } : {}),
      });
    } finally {
      await Promise.all(sides.map((s) => s.stop()));
    }
  }
  report.table(
    [
      '',
      'failures evaluated per trial',
      'overshoot (median)',
      'overshoot (max)',
      'answers per trial (status code × count)',
    ],
    rows,
  );
  report.save();
});
