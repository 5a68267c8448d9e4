/**
 * P10, failover: Redis and the database going away under load (node dist-sample/bench/failover.bench.js).
 * Two instances on a database of their own behind a TCP proxy the bench cuts, and a redis-server of
 * their own (the shared Redis is never touched). Three trials each break one thing under load and
 * bring it back; answers that must never happen are counted as violations.
 */
import { randomBytes } from 'node:crypto';
import { benchDatabase, POSTGRES_URL, SMOKE } from './lib/bench-env';
import { dropDatabase, freePort, freshDatabase, RedisServer, TcpProxy } from './lib/failover-infra';
import { KINDS, writeFailoverReport } from './lib/failover-report';
import { Answer, call, seed, Traffic } from './lib/failover-traffic';
import { RequestSpec, totp, wrongTotp } from './lib/load';
import { Report, runBench } from './lib/report';
import { PoolEntry, Side, startOurs } from './lib/sides';

const LIMIT = 5; // lockout.maxAttempts, the library's default
const DB_NAME = benchDatabase('failover');
const [BEFORE, DOWN, AFTER] = SMOKE ? [1000, 1000, 2000] : [5000, 5000, 8000];
const PER_TRIAL = SMOKE ? 12 : 300; // pending challenges per instance per trial, a third for each phase
const ATTACKED = SMOKE ? 2 : 6; // users hammered with wrong codes per trial

interface Target {
  side: Side;
  entry: PoolEntry;
  trial: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const guarded = (cookie: string): RequestSpec => ({ method: 'GET', path: '/bench/guarded', headers: { cookie } });
const show = (a: Answer) => `${a.status} ${a.code}`.trim();
const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)];
/** Waits `ms`, releasing `share` into `queue` evenly over that time (so right codes are sent throughout the phase). */
async function release(share: Target[], queue: Target[], ms: number): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < share.length; i++) {
    const due = start + (i * ms) / share.length - performance.now();
    if (due > 0) await sleep(due);
    queue.push(share[i]);
  }
  const left = start + ms - performance.now();
  if (left > 0) await sleep(left);
}

runBench(async () => {
  const report = new Report('P10', 'failover: Redis and the database going away under load', 'bench:failover');
  let dbUrl: string;
  try {
    dbUrl = await freshDatabase(POSTGRES_URL, DB_NAME);
  } catch (err) {
    report.skip('P10', `PostgreSQL unreachable at ${new URL(POSTGRES_URL).host} (${(err as Error).message})`);
    return report.save();
  }
  const redis = new RedisServer(await freePort());
  try {
    await redis.start();
  } catch (err) {
    await dropDatabase(POSTGRES_URL, DB_NAME);
    report.skip('P10', `no redis-server to start (${(err as Error).message})`);
    return report.save();
  }
  const target = new URL(dbUrl);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  const proxied = new URL(dbUrl);
  proxied.port = String(await proxy.start());
  const env = {
    MFA_BENCH_COUNTERS: 'redis',
    MFA_BENCH_REDIS_URL: redis.url,
    MFA_BENCH_POSTGRES_URL: proxied.toString(),
    MFA_BENCH_LOCK_MAX: String(LIMIT),
    MFA_BENCH_KEY: randomBytes(32).toString('base64'),
    MFA_BENCH_SESSION_SECRET: randomBytes(16).toString('hex'),
  };
  const sides: Side[] = [];
  const traffic = new Traffic('start-up');
  const queue: Target[] = [];
  let attacked: Target[] = [];
  const evaluated = new Map<string, Map<string, number>>(); // trial → user → wrong codes evaluated
  const crash = { down: () => redis.kill(), back: () => redis.start() };
  const toAof = async () => {
    await redis.kill();
    redis.persistence = 'aof';
    await redis.start();
  };
  const trials: Array<{ name: string; limit: number; prepare?: () => Promise<void> } & typeof crash> = [
    // The count before the crash is lost: a second full allowance afterwards.
    { name: 'Redis crash, no persistence', limit: 2 * LIMIT, ...crash },
    { name: 'Redis crash, AOF (appendfsync always)', limit: LIMIT, prepare: toAof, ...crash },
    {
      name: 'PostgreSQL unreachable',
      limit: LIMIT,
      down: () => proxy.stop({ reset: true }),
      back: () => proxy.start().then(() => {}),
    },
  ];
  try {
    // Booted together: they migrate the new schema once between them (the migration lock).
    sides.push(...(await Promise.all([1, 2].map((i) => startOurs(`p10-instance-${i}`, 'postgres', env)))));
    const never = await Promise.all(sides.map((s) => seed(s, { users: SMOKE ? 4 : 10 })));
    const verified = await Promise.all(sides.map((s) => seed(s, { users: SMOKE ? 4 : 10, verified: true })));

    sides.forEach((side, i) => {
      traffic.run(1, async (phase) => {
        const a = await call(side.server.base, guarded(pick(never[i]).cookie));
        if (a.status === 200) traffic.violations.push(`${traffic.current}: a session that never verified passed`);
        traffic.record(phase, KINDS.never, a, a.code === 'MFA_REQUIRED');
        return true;
      });
      traffic.run(1, async (phase) => {
        const a = await call(side.server.base, guarded(pick(verified[i]).cookie));
        traffic.record(phase, KINDS.verified, a, a.status === 200);
        return true;
      });
    });
    traffic.run(4, async (phase) => {
      const t = queue.shift();
      if (!t) return false;
      const base = t.side.server.base;
      const spec = t.side.verify(t.entry, totp(t.entry.key, Date.now()));
      const answers = await Promise.all([call(base, spec), call(base, spec)]);
      const accepted = answers.filter((a) => a.status === 200).length;
      for (const a of answers) traffic.record(phase, KINDS.right, a, a.status === 200);
      const now = traffic.current; // oddities by the phase they were seen in
      if (accepted > 1) traffic.violations.push(`${now}: a challenge was accepted ${accepted} times`);
      // Every session id the exchange left: the client's own and any renewed one.
      const cookies = new Set([t.entry.cookie, ...answers.flatMap((a) => (a.cookie ? [a.cookie] : []))]);
      const probes = await Promise.all([...cookies].map((c) => call(base, guarded(c))));
      const passes = probes.some((p) => p.status === 200);
      const which = probes[0].status === 200 ? "the client's own id (never renewed)" : 'a renewed id';
      if (!accepted && passes)
        traffic.anomalies.push(
          `${now}: right code answered ${answers.map(show).join(' / ')}, yet a session id it left passes: ${which}`,
        );
      if (accepted && !passes && !probes.some((p) => p.status === 503))
        traffic.anomalies.push(`${now}: right code accepted, but no session id it left passes (${probes.map(show)})`);
      return true;
    });
    traffic.run(2, async (phase) => {
      if (!attacked.length) return false;
      const t = pick(attacked);
      const a = await call(t.side.server.base, t.side.verify(t.entry, wrongTotp(t.entry.key, Date.now())));
      const counted = a.status === 401 && a.code === 'INVALID_CODE';
      traffic.record(phase, KINDS.wrong, a, counted || a.status === 429);
      if (counted) {
        const users = evaluated.get(t.trial) ?? new Map<string, number>();
        evaluated.set(t.trial, users);
        users.set(t.entry.userId, (users.get(t.entry.userId) ?? 0) + 1);
      }
      return true;
    });

    for (const trial of trials) {
      if (trial.prepare) {
        traffic.enter(`${trial.name}: switching Redis to AOF (a restart)`);
        await trial.prepare();
      }
      traffic.enter(`${trial.name}: setting up`);
      queue.length = 0;
      const prepared: Target[] = [];
      for (const side of sides)
        for (const entry of await seed(side, { users: PER_TRIAL })) prepared.push({ side, entry, trial: trial.name });
      prepared.sort(() => Math.random() - 0.5);
      // A share of the challenges for each phase, released as the phase runs: right codes before, during, after.
      const third = Math.ceil(prepared.length / 3);
      const [before, during, after] = [0, 1, 2].map((k) => prepared.slice(k * third, (k + 1) * third));
      // Each attacked user signs in twice on each instance; wrong codes go to any of the four sessions.
      const fresh: Target[] = [];
      const users = await seed(sides[0], { users: ATTACKED, sessionsPerUser: 0 });
      for (const side of sides) {
        const entries = await seed(side, { users: ATTACKED, sessionsPerUser: 2, existing: users });
        for (const entry of entries) fresh.push({ side, entry, trial: trial.name });
      }
      attacked = fresh;
      traffic.enter(`${trial.name}: before`);
      await release(before, queue, BEFORE);
      traffic.enter(`${trial.name}: down`);
      await trial.down();
      await release(during, queue, DOWN);
      await trial.back();
      traffic.enter(`${trial.name}: back`);
      await release(after, queue, AFTER);
      attacked = []; // the next trial's restart must not hand these users another allowance
    }
    traffic.enter('done');
    await traffic.stop();
  } finally {
    await traffic.stop();
    await Promise.all(sides.map((s) => s.stop()));
    await proxy.stop({ reset: true });
    await redis.dispose();
    await dropDatabase(POSTGRES_URL, DB_NAME).catch(() => undefined);
  }

  writeFailoverReport(report, traffic, trials, evaluated, {
    limit: LIMIT,
    attacked: ATTACKED,
    before: BEFORE,
    down: DOWN,
    after: AFTER,
  });
  report.save();
});
