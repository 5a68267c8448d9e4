/**
 * P6, one, two and four instances on PostgreSQL + Redis, on loopback, same total connections.
 *   npm run bench:instances
 * Workloads: completing TOTP challenges (writes) and satisfied guarded requests (the read path, session
 * cache kept exact across instances by Redis pub/sub). Sessions are sticky (each instance serves the
 * sessions it created); MFA state is shared through PostgreSQL and Redis. Also splits CPU per request
 * between Node, PostgreSQL and Redis, and samples pg_stat_activity for the connections the pools hold.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CONNECTIONS, fmt, median, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { assertClean, load, LoadResult, RequestSpec, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { postgresBackendCpu, redisServerCpu, resetPostgres, resetRedis, services } from './lib/services';
import { PoolEntry, Side, startOurs } from './lib/sides';

const SIZES = [1, 2, 4] as const;
type Size = (typeof SIZES)[number];
type Expect = (s: number, b: string) => boolean;

interface Sample {
  rps: number;
  nodeCpu: number;
  pgCpu: number;
  redisCpu: number;
  pgConnections: number; // peak backends on the benchmark database, connected / running a statement
  pgActive: number;
}

/** Polls pg_stat_activity every 100 ms on a connection of its own (to `postgres`, so not counted). */
function postgresConnections(url: string): { stop(): Promise<{ connections: number; active: number }> } {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  const peak = { connections: 0, active: 0 };
  let stopped = false;
  const sql =
    "SELECT count(*) AS n, count(*) FILTER (WHERE state = 'active') AS a FROM pg_stat_activity WHERE datname = $1";
  const done = (async () => {
    await client.connect();
    for (; !stopped; await new Promise((r) => setTimeout(r, 100))) {
      const { rows } = await client.query(sql, [decodeURIComponent(new URL(url).pathname.slice(1))]);
      peak.connections = Math.max(peak.connections, Number(rows[0].n));
      peak.active = Math.max(peak.active, Number(rows[0].a));
    }
    await client.end();
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return peak;
    },
  };
}

/** Runs the given loads at once; throughput = all requests ÷ the longest run. CPU per request by process group. */
async function together(
  loads: Array<{ side: Side; request: () => RequestSpec; amount?: number; connections: number; expect: Expect }>,
): Promise<Sample> {
  const cpu0 = await Promise.all(loads.map((l) => l.side.server.cpu()));
  const pg = postgresBackendCpu(POSTGRES_URL);
  const conns = postgresConnections(POSTGRES_URL);
  const redis0 = await redisServerCpu();
  const results: LoadResult[] = await Promise.all(
    loads.map((l) => load(l.side.server.base, { ...l, seconds: l.amount ? undefined : SECONDS })),
  );
  const cpu1 = await Promise.all(loads.map((l) => l.side.server.cpu()));
  const pgMicros = await pg.stop();
  const peak = await conns.stop();
  const redis1 = await redisServerCpu();
  results.forEach((r, i) => assertClean(`instance ${i + 1}`, r));
  const total = results.reduce((a, r) => a + r.total, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const node = cpu1.reduce((a, c, i) => a + c.micros - cpu0[i].micros, 0);
  return {
    rps: total / seconds,
    nodeCpu: node / total,
    pgCpu: pgMicros / total,
    redisCpu: (redis1 - redis0) / total,
    pgConnections: peak.connections,
    pgActive: peak.active,
  };
}

function verifications(side: Side, entries: PoolEntry[]): () => RequestSpec {
  const now = Date.now();
  const requests = entries.map((e) => side.verify(e, totp(e.key, now)));
  let i = 0;
  return () => requests[i++ % requests.length];
}

function guardedRequests(entries: PoolEntry[]): () => RequestSpec {
  let i = 0;
  return () => ({ method: 'GET', path: '/bench/guarded', headers: { cookie: entries[i++ % entries.length].cookie } });
}

/** CONNECTIONS split over n instances, the remainder to the first ones: the total stays the same. */
const share = (n: number, i: number) => Math.max(1, Math.floor(CONNECTIONS / n) + (i < CONNECTIONS % n ? 1 : 0));

runBench(async () => {
  const report = new Report('P6', 'one, two and four instances, PostgreSQL + Redis', 'bench:instances');
  const svc = await services();
  if (svc.postgres || svc.redis) {
    report.skip('P6', (svc.postgres ?? svc.redis)!);
    return report.save();
  }
  await resetPostgres(POSTGRES_URL);
  await resetRedis();
  const shared = {
    MFA_BENCH_COUNTERS: 'redis',
    MFA_BENCH_KEY: randomBytes(32).toString('base64'),
    MFA_BENCH_SESSION_SECRET: randomBytes(16).toString('hex'),
  };
  const all: Side[] = [];
  try {
    // One after another: the first migrates the schema.
    for (let i = 0; i < 4; i++) all.push(await startOurs(`p6-instance-${i + 1}`, 'postgres', shared));
    // Warm-up on every instance, which also sizes the verify runs.
    let amount = SMOKE ? 40 : 200;
    for (const side of all) {
      const warm = await side.seed({ users: SMOKE ? 40 : 300 });
      const r = await together([
        {
          side,
          request: verifications(side, warm),
          amount: warm.length,
          connections: CONNECTIONS,
          expect: side.isVerified,
        },
      ]);
      amount = Math.max(amount, Math.min(10_000, Math.round((r.rps * SECONDS) / CONNECTIONS) * CONNECTIONS));
    }
    const runs = new Map<Size, { verify: Sample[]; guarded: Sample[] }>(
      SIZES.map((n) => [n, { verify: [], guarded: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [...SIZES].reverse() : [...SIZES];
      for (const n of order) {
        const sides = all.slice(0, n);
        const each = Math.ceil(amount / n);
        const pools = await Promise.all(sides.map((s) => s.seed({ users: each })));
        runs.get(n)!.verify.push(
          await together(
            sides.map((s, i) => ({
              side: s,
              request: verifications(s, pools[i]),
              amount: pools[i].length,
              connections: share(n, i),
              expect: s.isVerified,
            })),
          ),
        );
        // Seeded through the engine: a verify over HTTP would have renewed the session ids.
        const satisfied = await Promise.all(sides.map((s) => s.seed({ users: each, verified: true })));
        runs.get(n)!.guarded.push(
          await together(
            sides.map((s, i) => ({
              side: s,
              request: guardedRequests(satisfied[i]),
              connections: share(n, i),
              expect: (st: number) => st === 200,
            })),
          ),
        );
      }
      const line = (w: 'verify' | 'guarded') => SIZES.map((n) => fmt(runs.get(n)![w][round].rps)).join(' / ');
      report.log(`round ${round + 1}: verify 1/2/4 ${line('verify')} req/s; guarded 1/2/4 ${line('guarded')} req/s`);
    }
    const m = (n: Size, w: 'verify' | 'guarded', k: keyof Sample) => median(runs.get(n)![w].map((x) => x[k]));
    report.text(
      `One, two and four instances of nestjs-mfa's Express bench app (PostgreSQL store, Redis counters, shared encryption key; session cache on and kept exact across instances by Redis pub/sub, the default with Redis counters) ` +
        `on loopback, with the same total load: ${CONNECTIONS} connections split over the instances (${SIZES.map((n) => Array.from({ length: n }, (_, i) => share(n, i)).join('+')).join(', ')}); sticky sessions. ` +
        `**This machine has 2 cores** shared by the instances, PostgreSQL, Redis and the load generator: the ratios measure contention ` +
        '(more processes and pools fighting for the same two cores), not scale-out. On separate machines each instance brings its own cores; ' +
        'what then limits is the shared part, the PostgreSQL and Redis CPU per request in the last columns.',
    );
    report.text();
    report.table(
      [
        'workload',
        'instances',
        'req/s',
        '÷ one',
        'CPU µs/req: Node / PostgreSQL / Redis',
        'PG connections: held / active (peak)',
      ],
      (['verify', 'guarded'] as const).flatMap((w) =>
        SIZES.map((n) => [
          w === 'verify' ? 'complete a TOTP challenge' : 'satisfied guarded request',
          n,
          fmt(m(n, w, 'rps')),
          n === 1 ? '1' : `**${fmt(m(n, w, 'rps') / m(1, w, 'rps'), 2)}**`,
          `${fmt(m(n, w, 'nodeCpu'))} / ${fmt(m(n, w, 'pgCpu'))} / ${fmt(m(n, w, 'redisCpu'), 1)}`,
          `${fmt(m(n, w, 'pgConnections'))} / ${fmt(m(n, w, 'pgActive'))}`,
        ]),
      ),
    );
    report.text(
      `Medians of ${ROUNDS} interleaved rounds (1, 2, 4, then 4, 2, 1 …); ${amount} challenges in total per verify run, ${SECONDS} s guarded runs. ` +
        'Node = all instances together; PostgreSQL = the backends connected to the benchmark database (from /proc); ' +
        'Redis = the whole server (INFO cpu), so other clients of that server show up there too. ' +
        'PG connections = peak of pg_stat_activity for the benchmark database, sampled every 100 ms. All four instances stay up through every run ' +
        'and each keeps its own TypeORM pool (node-postgres: at most 10, idle ones closed after 10 s), so *held* counts every pool the warm-up filled, ' +
        'about 10 per instance; *active* (a statement running) is what the load needs.',
    );
    report.text();
    const nodeV = m(1, 'verify', 'nodeCpu');
    const pgV = m(1, 'verify', 'pgCpu');
    const nodeG = m(1, 'guarded', 'nodeCpu');
    const pgG = m(1, 'guarded', 'pgCpu');
    report.text('**What limits a larger deployment.**\n');
    const nodeFirst = nodeV >= pgV && nodeG >= pgG;
    report.text(
      `- First bottleneck, measured: ${nodeFirst ? 'the Node process' : 'PostgreSQL'}. A verification costs ${fmt(nodeV)} µs of Node CPU against ${fmt(pgV)} µs in PostgreSQL, ` +
        `a satisfied guarded request ${fmt(nodeG)} µs against ${fmt(pgG)} µs. ` +
        (nodeFirst
          ? 'Instances saturate their cores before the database does, so add instances (the state is shared; lockout and single use are enforced in PostgreSQL and Redis, see P7) ' +
            `until PostgreSQL's share runs out: about ${fmt(pgV > 0 ? 1e6 / pgV : NaN)} verifications or ${fmt(pgG > 0 ? 1e6 / pgG : NaN)} guarded reads per second per PostgreSQL core at these costs.`
          : 'PostgreSQL saturates first: more instances will not help; fewer statements per operation (P5) will.'),
    );
    report.text(
      "- Hottest table: `mfa_audit_events`, append-only, one insert for every challenge, every verification and every failed attempt (`audit: 'database'`); with a SIEM sink instead it leaves the database. " +
        'Next `mfa_session_factors`: read by every guarded request when the session cache is off, written on every verification. ' +
        "`mfa_challenges` and `mfa_enrollments` take conditional UPDATEs per verification on the user's own rows, so they are wide, not hot.",
    );
    report.text(
      '- Redis: counter keys per user (`nestjs-mfa:mfa:{<user>}:totp`, `…:account`, hash-tagged so one user stays in one cluster slot), ' +
        'a few commands per attempt (P5) and one PUBLISH per session change. Keys are per user, so a cluster spreads them; a key is hot only when one user is attacked, which is the lockout working. ' +
        `Redis CPU per verification above: ${fmt(m(1, 'verify', 'redisCpu'), 1)} µs, i.e. one Redis core serves about ${fmt(1e6 / m(1, 'verify', 'redisCpu'))} verifications/s.`,
    );
    report.text('- Per instance: one policy-activation poll every 5 s; negligible.\n');
    for (const n of [2, 4] as const)
      for (const w of ['verify', 'guarded'] as const)
        report.figure({
          id: 'P6',
          label: `${n === 2 ? 'two' : 'four'} instances ÷ one, ${w === 'verify' ? 'completing TOTP challenges' : 'satisfied guarded requests'} (2 cores: contention, not scale)`,
          value: fmt(m(n, w, 'rps') / m(1, w, 'rps'), 2),
        });
  } finally {
    await Promise.all(all.map((s) => s.stop()));
  }
  report.save();
});
