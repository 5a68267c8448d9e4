/**
 * P1, guard overhead: server CPU per request and req/s of a route guarded by
 * @RequireMfa() whose session is already satisfied, against the same route unguarded,
 * in the same app and run. Interleaved A/B rounds; medians reported. Two deployments:
 * the embedded default (SQLite + in-process counters) and PostgreSQL + Redis.
 *   npm run bench:guard   (MFA_BENCH_ROUNDS, MFA_BENCH_SECONDS tune it)
 */
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../libs/core/src';
import { CONNECTIONS, fmt, median, POSTGRES_URL, REDIS_URL, ROUNDS, SECONDS } from './lib/bench-env';
import { assertClean, measure, RunResult } from './lib/load';
import { Report, runBench } from './lib/report';
import { BenchServer, NEST_SERVER, startServer } from './lib/servers';
import { resetPostgres, resetRedis, services } from './lib/services';

async function http(base: string, path: string, init: RequestInit & { cookie?: string } = {}) {
  const res = await fetch(base + path, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: init.cookie } : {}) },
  });
  return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.get('set-cookie') };
}

/** Signs in, enrolls and confirms TOTP over HTTP: that session now satisfies @RequireMfa(). */
async function satisfiedSession(base: string, username = 'alice'): Promise<string> {
  const login = await http(base, '/auth/login', {
    method: 'POST',
    body: JSON.stringify({ username, password: `${username}-password` }),
  });
  const cookie = login.setCookie!.split(';')[0];
  const start = await http(base, '/mfa/totp/enrollments', { method: 'POST', body: '{}', cookie });
  const code = new TotpFactor().generate(fromBase32(start.body.secret), DEFAULT_TOTP_PROFILE, Date.now());
  const confirm = await http(base, `/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, {
    method: 'POST',
    body: JSON.stringify({ code }),
    cookie,
  });
  if (confirm.status !== 200) throw new Error(`enrollment failed: ${JSON.stringify(confirm.body)}`);
  const renewed = confirm.setCookie!.split(';')[0]; // confirming verifies the session, which renews its id
  const check = await http(base, '/bench/guarded', { cookie: renewed });
  if (check.status !== 200) throw new Error(`guarded route not satisfied: ${check.status}`);
  return renewed;
}

async function startGuardServer(name: string, deployment: 'embedded' | 'postgres-redis'): Promise<BenchServer> {
  if (deployment === 'postgres-redis') {
    await resetPostgres(POSTGRES_URL);
    await resetRedis();
  }
  return startServer(
    name,
    NEST_SERVER,
    deployment === 'embedded'
      ? { MFA_BENCH_DB: 'sqlite' }
      : {
          MFA_BENCH_DB: 'postgres',
          MFA_BENCH_COUNTERS: 'redis',
          MFA_BENCH_POSTGRES_URL: POSTGRES_URL,
          MFA_BENCH_REDIS_URL: REDIS_URL,
        },
  );
}

async function run(server: BenchServer, path: string, cookie: string, seconds = SECONDS): Promise<RunResult> {
  const r = await measure(server, {
    request: { path, headers: { cookie } },
    seconds,
    expect: (status) => status === 200,
  });
  assertClean(path, r);
  return r;
}

async function benchDeployment(
  report: Report,
  deployment: 'embedded' | 'postgres-redis',
  title: string,
): Promise<void> {
  const server = await startGuardServer(`p1-${deployment}`, deployment);
  try {
    const cookie = await satisfiedSession(server.base);
    await run(server, '/bench/open', cookie, Math.min(SECONDS, 2)); // warm-up
    await run(server, '/bench/guarded', cookie, Math.min(SECONDS, 2));
    const open: RunResult[] = [];
    const guarded: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A/B then B/A, so a drift in machine load falls on both sides.
      if (round % 2) {
        guarded.push(await run(server, '/bench/guarded', cookie));
        open.push(await run(server, '/bench/open', cookie));
      } else {
        open.push(await run(server, '/bench/open', cookie));
        guarded.push(await run(server, '/bench/guarded', cookie));
      }
      report.log(
        `${deployment} round ${round + 1}: open ${fmt(open[round].rps)} req/s ${fmt(open[round].cpuPerRequest, 1)} µs/req | guarded ${fmt(guarded[round].rps)} req/s ${fmt(guarded[round].cpuPerRequest, 1)} µs/req`,
      );
    }
    const m = (rs: RunResult[], k: keyof RunResult) => median(rs.map((r) => r[k] as number));
    const cpuRatio = m(guarded, 'cpuPerRequest') / m(open, 'cpuPerRequest');
    const rpsRatio = m(open, 'rps') / m(guarded, 'rps');
    const paired = median(guarded.map((g, i) => g.cpuPerRequest / open[i].cpuPerRequest));
    report.text(`### ${title}`);
    report.text();
    report.table(
      ['', 'unguarded', 'guarded, satisfied', 'guarded ÷ unguarded'],
      [
        [
          'server CPU µs/request',
          fmt(m(open, 'cpuPerRequest'), 1),
          fmt(m(guarded, 'cpuPerRequest'), 1),
          `**${fmt(cpuRatio, 3)}**`,
        ],
        ['req/s', fmt(m(open, 'rps')), fmt(m(guarded, 'rps')), `${fmt(rpsRatio, 3)} (unguarded ÷ guarded)`],
        ['SQL statements/request', fmt(m(open, 'queriesPerRequest'), 3), fmt(m(guarded, 'queriesPerRequest'), 3), ''],
        ['Redis commands/request', fmt(m(open, 'redisPerRequest'), 3), fmt(m(guarded, 'redisPerRequest'), 3), ''],
      ],
    );
    report.text(
      `Medians of ${ROUNDS} interleaved rounds × ${SECONDS} s, ${CONNECTIONS} connections, one signed-in session with TOTP verified over HTTP. ` +
        `CPU ratio, median of per-round pairs: ${fmt(paired, 3)}; per round: ${guarded.map((g, i) => fmt(g.cpuPerRequest / open[i].cpuPerRequest, 3)).join(', ')}. ` +
        'The policy refresh adds one query per instance every 5 s, spread over all requests.',
    );
    report.text();
    report.figure({
      id: 'P1',
      label: `guard overhead, ${title}: CPU/request guarded ÷ unguarded`,
      value: fmt(cpuRatio, 3),
      goal: '≤ 1.05',
      met: cpuRatio <= 1.05,
    });
    report.figure({
      id: 'P1',
      label: `guard overhead, ${title}: req/s unguarded ÷ guarded`,
      value: fmt(rpsRatio, 3),
      goal: '≤ 1.05',
      met: rpsRatio <= 1.05,
    });
  } finally {
    await server.stop();
  }
}

runBench(async () => {
  const report = new Report('P1', 'guard overhead of a satisfied session', 'bench:guard');
  report.text(
    "The Nest sample app (passport-local, express-session, `MfaGuard` as `APP_GUARD`, the sample policy, `audit: 'database'`) with two routes that differ " +
      'only in `@RequireMfa()` (`bench/guard-bench.server.ts`). The session cache is at its default: 60 s on the embedded SQLite store, and 60 s with PostgreSQL + Redis counters, where Redis pub/sub keeps the cache of every instance exact (without Redis counters it is off on PostgreSQL).',
  );
  report.text();
  await benchDeployment(report, 'embedded', 'embedded default (SQLite + in-process counters)');
  const svc = await services();
  if (svc.postgres || svc.redis) report.skip('P1 on PostgreSQL + Redis', (svc.postgres ?? svc.redis)!);
  else await benchDeployment(report, 'postgres-redis', 'PostgreSQL + Redis counters');
  report.save();
});
