/**
 * P6, two instances on PostgreSQL + Redis against one, on loopback, same total connections.
 *   npm run bench:instances
 * Workloads: completing TOTP challenges (writes) and satisfied guarded requests (the read path,
 * session cache on, kept exact across instances by Redis pub/sub, the default with Redis counters). Sessions are sticky (each instance
 * serves the sessions it created); MFA state is shared through PostgreSQL and Redis.
 * Also splits CPU per request between the Node instances, the PostgreSQL backends and Redis.
 */
import { randomBytes } from 'node:crypto';
import { CONNECTIONS, fmt, median, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { assertClean, load, LoadResult, RequestSpec, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { postgresBackendCpu, redisServerCpu, resetPostgres, resetRedis, services } from './lib/services';
import { PoolEntry, Side, startOurs } from './lib/sides';

interface Sample {
  rps: number;
  nodeCpu: number;
  pgCpu: number;
  redisCpu: number;
}

/** Runs the given loads at once; throughput = all requests ÷ the longest run. CPU per request by process group. */
async function together(
  sides: Side[],
  loads: Array<{
    side: Side;
    request: () => RequestSpec;
    amount?: number;
    connections: number;
    expect: (s: number, b: string) => boolean;
  }>,
): Promise<Sample> {
  const cpu0 = await Promise.all(sides.map((s) => s.server.cpu()));
  const pg = postgresBackendCpu(POSTGRES_URL);
  const redis0 = await redisServerCpu();
  const results: LoadResult[] = await Promise.all(
    loads.map((l) =>
      load(l.side.server.base, {
        request: l.request,
        amount: l.amount,
        seconds: l.amount ? undefined : SECONDS,
        connections: l.connections,
        expect: l.expect,
      }),
    ),
  );
  const cpu1 = await Promise.all(sides.map((s) => s.server.cpu()));
  const pgMicros = await pg.stop();
  const redis1 = await redisServerCpu();
  results.forEach((r, i) => assertClean(`instance ${i + 1}`, r));
  const total = results.reduce((a, r) => a + r.total, 0);
  const seconds = Math.max(...results.map((r) => r.seconds));
  const node = cpu1.reduce((a, c, i) => a + c.micros - cpu0[i].micros, 0);
  return { rps: total / seconds, nodeCpu: node / total, pgCpu: pgMicros / total, redisCpu: (redis1 - redis0) / total };
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

runBench(async () => {
  const report = new Report('P6', 'two instances ÷ one, PostgreSQL + Redis', 'bench:instances');
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
  const a = await startOurs('p6-instance-1', 'postgres', shared);
  const b = await startOurs('p6-instance-2', 'postgres', shared); // after the first has migrated the schema
  const half = Math.max(1, Math.round(CONNECTIONS / 2));
  try {
    // Warm-up on both, which also sizes the pools.
    let amount = SMOKE ? 40 : 200;
    for (const side of [a, b]) {
      const warm = await side.seed({ users: SMOKE ? 40 : 300 });
      const r = await together(
        [side],
        [
          {
            side,
            request: verifications(side, warm),
            amount: warm.length,
            connections: CONNECTIONS,
            expect: side.isVerified,
          },
        ],
      );
      amount = Math.max(amount, Math.min(10_000, Math.round((r.rps * SECONDS) / CONNECTIONS) * CONNECTIONS));
    }
    const one = { verify: [] as Sample[], guarded: [] as Sample[] };
    const two = { verify: [] as Sample[], guarded: [] as Sample[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const)) {
        if (mode === 'one') {
          const pool = await a.seed({ users: amount });
          one.verify.push(
            await together(
              [a],
              [
                {
                  side: a,
                  request: verifications(a, pool),
                  amount: pool.length,
                  connections: CONNECTIONS,
                  expect: a.isVerified,
                },
              ],
            ),
          );
          const satisfied = await a.seed({ users: amount, verified: true }); // a verify over HTTP renewed the pool's session ids
          one.guarded.push(
            await together(
              [a],
              [{ side: a, request: guardedRequests(satisfied), connections: CONNECTIONS, expect: (s) => s === 200 }],
            ),
          );
        } else {
          const pools = [await a.seed({ users: amount }), await b.seed({ users: amount })];
          const sides = [a, b];
          two.verify.push(
            await together(
              sides,
              sides.map((s, i) => ({
                side: s,
                request: verifications(s, pools[i]),
                amount: pools[i].length,
                connections: half,
                expect: s.isVerified,
              })),
            ),
          );
          const satisfied = [
            await a.seed({ users: amount, verified: true }),
            await b.seed({ users: amount, verified: true }),
          ];
          two.guarded.push(
            await together(
              sides,
              sides.map((s, i) => ({
                side: s,
                request: guardedRequests(satisfied[i]),
                connections: half,
                expect: (st: number) => st === 200,
              })),
            ),
          );
        }
      }
      report.log(
        `round ${round + 1}: verify one ${fmt(one.verify[round].rps)} / two ${fmt(two.verify[round].rps)} req/s; guarded one ${fmt(one.guarded[round].rps)} / two ${fmt(two.guarded[round].rps)} req/s`,
      );
    }
    const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
    const verifyRatio = m(two.verify, 'rps') / m(one.verify, 'rps');
    const guardedRatio = m(two.guarded, 'rps') / m(one.guarded, 'rps');
    report.text(
      `Two instances of nestjs-mfa's Express bench app (PostgreSQL store, Redis counters, shared encryption key; session cache on and kept exact across instances by Redis pub/sub, the default with Redis counters) ` +
        `against one, on loopback, with the same total load: ${CONNECTIONS} connections to one instance, or ${half} to each of two; sticky sessions. ` +
        `**This machine has 2 cores** shared by the instances, PostgreSQL, Redis and the load generator, so the ratio measures contention, not scale-out.`,
    );
    report.text();
    report.table(
      [
        'workload',
        'one instance req/s',
        'two instances req/s',
        'two ÷ one',
        'CPU µs/req one: Node / PostgreSQL / Redis',
        'two: Node / PostgreSQL / Redis',
      ],
      (['verify', 'guarded'] as const).map((w) => [
        w === 'verify' ? 'complete a TOTP challenge' : 'satisfied guarded request',
        fmt(m(one[w], 'rps')),
        fmt(m(two[w], 'rps')),
        `**${fmt(m(two[w], 'rps') / m(one[w], 'rps'), 2)}**`,
        `${fmt(m(one[w], 'nodeCpu'))} / ${fmt(m(one[w], 'pgCpu'))} / ${fmt(m(one[w], 'redisCpu'))}`,
        `${fmt(m(two[w], 'nodeCpu'))} / ${fmt(m(two[w], 'pgCpu'))} / ${fmt(m(two[w], 'redisCpu'))}`,
      ]),
    );
    report.text(
      `Medians of ${ROUNDS} interleaved rounds (one, two, then two, one …); ${amount} challenges per instance per verify run, ${SECONDS} s guarded runs. ` +
        'Node = both instances together; PostgreSQL = the backends connected to the benchmark database (from /proc); ' +
        'Redis = the whole server (INFO cpu), so other clients of that server show up there too.',
    );
    report.text();
    const nodeV = m(one.verify, 'nodeCpu');
    const pgV = m(one.verify, 'pgCpu');
    const nodeG = m(one.guarded, 'nodeCpu');
    const pgG = m(one.guarded, 'pgCpu');
    report.text('**What limits a larger deployment.**');
    report.text();
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
        'Next `mfa_session_factors`: read by every guarded request when the session cache is off, upserted (UPDATE then INSERT) on every verification. ' +
        "`mfa_challenges` and `mfa_enrollments` take one conditional UPDATE per verification each, on the user's own rows, so they are wide, not hot.",
    );
    report.text(
      '- Redis: two counter keys per user (`nestjs-mfa:mfa:<user>:totp`, `…:account`, one EVAL each per attempt plus a peek and two DELs on success). ' +
        'Keys are per user, so a cluster spreads them; a key is hot only when one user is attacked, which is the lockout working.',
    );
    report.text('- Per instance: one policy-activation poll every 5 s; negligible.');
    report.text();
    report.figure({
      id: 'P6',
      label: 'two instances ÷ one, completing TOTP challenges (2 cores: contention, not scale)',
      value: fmt(verifyRatio, 2),
    });
    report.figure({
      id: 'P6',
      label: 'two instances ÷ one, satisfied guarded requests (2 cores: contention, not scale)',
      value: fmt(guardedRatio, 2),
    });
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  report.save();
});
