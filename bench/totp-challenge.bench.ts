/**
 * P2, completing a TOTP challenge: nestjs-mfa against Better Auth (twoFactor plugin), same
 * machine, same database kind (SQLite in WAL mode, then PostgreSQL), interleaved rounds.
 *   npm run bench:totp
 * Every measured request answers a fresh, valid challenge pre-created through the library's own
 * storage (the rows a real sign-in leaves); a crosscheck compares their cost with challenges
 * from real sign-ins. Also: invalid-code throughput, and a replayed code on both sides.
 */
import { BA_POSTGRES_URL, CONNECTIONS, fmt, median, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { assertClean, measure, pool, RequestSpec, RunResult, totp, wrongTotp } from './lib/load';
import { Report, runBench } from './lib/report';
import { BA_MISSING, betterAuthInstalled } from './lib/servers';
import { resetPostgres, services } from './lib/services';
import { DbKind, PoolEntry, Side, startBetterAuth, startOurs } from './lib/sides';

const CROSSCHECK = Number(process.env.MFA_BENCH_CROSSCHECK ?? (SMOKE ? 10 : 300));
const PASSWORD = 'correct horse battery staple';

/** One request per pool entry, each entry used once, codes computed when the run starts. */
function verifications(side: Side, entries: PoolEntry[], valid: boolean): () => RequestSpec {
  const now = Date.now();
  const requests = entries.map((e) => side.verify(e, valid ? totp(e.key, now) : wrongTotp(e.key, now)));
  let i = 0;
  return () => requests[i++ % requests.length];
}

async function run(side: Side, entries: PoolEntry[], valid: boolean, label: string): Promise<RunResult> {
  const r = await measure(side.server, {
    request: verifications(side, entries, valid),
    amount: entries.length,
    expect: valid ? side.isVerified : side.isInvalidCode,
  });
  assertClean(`${side.label} ${label}`, r);
  return r;
}

/** Pool sizes that make each measured run last about MFA_BENCH_SECONDS. */
function amountFor(rps: number): number {
  const floor = SMOKE ? 40 : 200;
  return Math.min(20_000, Math.max(floor, Math.round((rps * SECONDS) / CONNECTIONS) * CONNECTIONS));
}

async function replayDemo(side: Side): Promise<[number, number]> {
  const [user] = await side.seed({ users: 1, sessionsPerUser: 0, password: PASSWORD });
  // Two sign-ins, the same code for both challenges, well within the ±1 step both libraries accept.
  const code = totp(user.key, Date.now());
  const statuses: number[] = [];
  for (let i = 0; i < 2; i++) {
    const entry = await side.signIn(user, PASSWORD);
    const spec = side.verify(entry, code);
    const res = await fetch(side.server.base + spec.path, { method: 'POST', headers: spec.headers, body: spec.body });
    statuses.push(res.status);
    await res.text();
  }
  return [statuses[0], statuses[1]];
}

/** Real sign-ins against pre-created challenges: all set up first, then measured A, B, B, A in halves. */
async function crosscheck(side: Side): Promise<{ real: RunResult; pre: RunResult; halves: number[] }> {
  const users = await side.seed({ users: CROSSCHECK, sessionsPerUser: 0, password: PASSWORD });
  const real = await pool(users.length, 8, (i) => side.signIn(users[i], PASSWORD)); // not measured
  const pre = await side.seed({ users: CROSSCHECK });
  await new Promise((r) => setTimeout(r, 500)); // let the set-up's garbage and audit writes settle
  const half = Math.floor(CROSSCHECK / 2);
  const runs: Array<[PoolEntry[], 'real' | 'pre']> = [
    [real.slice(0, half), 'real'],
    [pre.slice(0, half), 'pre'],
    [pre.slice(half), 'pre'],
    [real.slice(half), 'real'],
  ];
  const sum = { real: [] as RunResult[], pre: [] as RunResult[] };
  const halves: number[] = [];
  for (const [entries, kind] of runs) {
    const r = await run(side, entries, true, `crosscheck (${kind})`);
    sum[kind].push(r);
    halves.push(r.cpuPerRequest);
  }
  const combine = (rs: RunResult[]): RunResult => {
    const total = rs.reduce((a, r) => a + r.total, 0);
    const weighted = (k: 'cpuPerRequest' | 'queriesPerRequest' | 'redisPerRequest') =>
      rs.reduce((a, r) => a + r[k] * r.total, 0) / total;
    return {
      ...rs[0],
      total,
      cpuPerRequest: weighted('cpuPerRequest'),
      queriesPerRequest: weighted('queriesPerRequest'),
      redisPerRequest: weighted('redisPerRequest'),
    };
  };
  return { real: combine(sum.real), pre: combine(sum.pre), halves };
}

async function benchKind(report: Report, kind: DbKind): Promise<void> {
  const title = kind === 'sqlite' ? 'SQLite (WAL), in-process counters' : 'PostgreSQL, in-process counters';
  if (kind === 'postgres') {
    await resetPostgres(POSTGRES_URL);
    await resetPostgres(BA_POSTGRES_URL);
  }
  const ours = await startOurs(`p2-ours-${kind}`, kind);
  const theirs = await startBetterAuth(`p2-better-auth-${kind}`, kind);
  const sides = [ours, theirs];
  try {
    // Warm-up (JIT, caches, pools), which also sizes each side's runs; a smoke run only checks that everything runs.
    const amount = new Map<Side, number>();
    for (const side of sides) {
      if (SMOKE) {
        amount.set(side, 40);
        continue;
      }
      const warm = await side.seed({ users: 1000 });
      await run(side, warm, false, 'warm-up invalid');
      const r = await run(side, warm, true, 'warm-up valid');
      amount.set(side, amountFor(r.rps));
    }
    const results = new Map<Side, { valid: RunResult[]; invalid: RunResult[]; hello: RunResult[] }>(
      sides.map((s) => [s, { valid: [], invalid: [], hello: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 ? [theirs, ours] : [ours, theirs]; // A/B, then B/A
      const pools = new Map<Side, PoolEntry[]>();
      for (const side of order) pools.set(side, await side.seed({ users: amount.get(side)! }));
      // Each pending challenge first gets one wrong code (the invalid-code run), then its right code.
      for (const side of order)
        results.get(side)!.invalid.push(await run(side, pools.get(side)!, false, 'invalid code'));
      for (const side of order) results.get(side)!.valid.push(await run(side, pools.get(side)!, true, 'valid code'));
      for (const side of order)
        results
          .get(side)!
          .hello.push(await measure(side.server, { request: { path: '/bench/hello' }, seconds: Math.min(SECONDS, 2) }));
      const v = (s: Side) => results.get(s)!.valid[round];
      report.log(
        `${kind} round ${round + 1}: valid ours ${fmt(v(ours).rps)} req/s ${fmt(v(ours).cpuPerRequest)} µs/req | Better Auth ${fmt(v(theirs).rps)} req/s ${fmt(v(theirs).cpuPerRequest)} µs/req`,
      );
    }
    const m = (s: Side, k: 'valid' | 'invalid' | 'hello', f: keyof RunResult) =>
      median(results.get(s)![k].map((r) => r[f] as number));
    const rpsRatio = m(ours, 'valid', 'rps') / m(theirs, 'valid', 'rps');
    const cpuRatio = m(theirs, 'valid', 'cpuPerRequest') / m(ours, 'valid', 'cpuPerRequest');
    const invRps = m(ours, 'invalid', 'rps') / m(theirs, 'invalid', 'rps');
    const invCpu = m(theirs, 'invalid', 'cpuPerRequest') / m(ours, 'invalid', 'cpuPerRequest');
    const paired = median(
      results.get(ours)!.valid.map((r, i) => results.get(theirs)!.valid[i].cpuPerRequest / r.cpuPerRequest),
    );

    report.text(`### ${title}`);
    report.text();
    report.table(
      ['', 'nestjs-mfa', 'Better Auth', 'ours ÷ theirs'],
      [
        ['valid code, req/s', fmt(m(ours, 'valid', 'rps')), fmt(m(theirs, 'valid', 'rps')), `**${fmt(rpsRatio, 2)}**`],
        [
          'valid code, server CPU µs/request',
          fmt(m(ours, 'valid', 'cpuPerRequest')),
          fmt(m(theirs, 'valid', 'cpuPerRequest')),
          `**${fmt(cpuRatio, 2)}** (requests per CPU-second)`,
        ],
        [
          'valid code, SQL statements/request',
          fmt(m(ours, 'valid', 'queriesPerRequest'), 1),
          fmt(m(theirs, 'valid', 'queriesPerRequest'), 1),
          '',
        ],
        ['invalid code, req/s', fmt(m(ours, 'invalid', 'rps')), fmt(m(theirs, 'invalid', 'rps')), fmt(invRps, 2)],
        [
          'invalid code, server CPU µs/request',
          fmt(m(ours, 'invalid', 'cpuPerRequest')),
          fmt(m(theirs, 'invalid', 'cpuPerRequest')),
          `${fmt(invCpu, 2)} (requests per CPU-second)`,
        ],
        [
          'invalid code, SQL statements/request',
          fmt(m(ours, 'invalid', 'queriesPerRequest'), 1),
          fmt(m(theirs, 'invalid', 'queriesPerRequest'), 1),
          '',
        ],
        [
          'bare hello route, CPU µs/request (same app)',
          fmt(m(ours, 'hello', 'cpuPerRequest')),
          fmt(m(theirs, 'hello', 'cpuPerRequest')),
          '',
        ],
      ],
    );
    report.text(
      `Medians of ${ROUNDS} interleaved rounds, ${CONNECTIONS} connections; each run sends one request per pre-created challenge ` +
        `(${amount.get(ours)} for nestjs-mfa, ${amount.get(theirs)} for Better Auth, sized to last about ${SECONDS} s). ` +
        `CPU ratio, median of per-round pairs: ${fmt(paired, 2)}. Per-round valid CPU µs/request: ours ${results
          .get(ours)!
          .valid.map((r) => fmt(r.cpuPerRequest))
          .join(', ')}; Better Auth ${results
          .get(theirs)!
          .valid.map((r) => fmt(r.cpuPerRequest))
          .join(', ')}.`,
    );
    report.text();
    report.figure({
      id: `P2 ${kind}`,
      label: `TOTP challenge completion, ${title}: req/s ours ÷ Better Auth`,
      value: fmt(rpsRatio, 2),
      goal: '≥ 5.0',
      met: rpsRatio >= 5,
    });
    report.figure({
      id: `P2 ${kind}`,
      label: `TOTP challenge completion, ${title}: requests per CPU-second ours ÷ Better Auth`,
      value: fmt(cpuRatio, 2),
      goal: '≥ 5.0',
      met: cpuRatio >= 5,
    });
    report.figure({
      id: `P2 ${kind}`,
      label: `invalid code, ${title}: req/s ours ÷ Better Auth (CPU: ${fmt(invCpu, 2)})`,
      value: fmt(invRps, 2),
    });

    const cross = new Map<Side, { real: RunResult; pre: RunResult; halves: number[] }>();
    for (const side of sides) cross.set(side, await crosscheck(side));
    report.text(
      `Crosscheck, ${CROSSCHECK} challenges from real email + password sign-ins against ${CROSSCHECK} pre-created ones, measured in halves, real / pre-created / pre-created / real, same client:`,
    );
    report.text();
    report.table(
      [
        '',
        'real: CPU µs/req',
        'pre-created: CPU µs/req',
        'real ÷ pre-created',
        'each half (real, pre, pre, real)',
        'real: statements/req',
        'pre-created: statements/req',
      ],
      sides.map((s) => {
        const c = cross.get(s)!;
        return [
          s.label,
          fmt(c.real.cpuPerRequest),
          fmt(c.pre.cpuPerRequest),
          fmt(c.real.cpuPerRequest / c.pre.cpuPerRequest, 2),
          c.halves.map((h) => fmt(h)).join(', '),
          fmt(c.real.queriesPerRequest, 2),
          fmt(c.pre.queriesPerRequest, 2),
        ];
      }),
    );

    const replay = new Map<Side, [number, number]>();
    for (const side of sides) replay.set(side, await replayDemo(side));
    report.text(
      'Replay: two real sign-ins of one user, both challenges answered with the same TOTP code, seconds apart:',
    );
    report.text();
    report.table(
      ['', 'first use (HTTP status)', 'same code again, new challenge', 'replay'],
      sides.map((s) => {
        const [a, b] = replay.get(s)!;
        return [s.label, a, b, b === 200 ? '**accepted**' : 'refused'];
      }),
    );
    const oursRefuses = replay.get(ours)![1] !== 200;
    report.figure({
      id: `P2 ${kind}`,
      label: `replayed TOTP code (${kind}): nestjs-mfa / Better Auth`,
      value: `${oursRefuses ? 'refused' : 'ACCEPTED'} / ${replay.get(theirs)![1] === 200 ? 'accepted' : 'refused'}`,
    });
  } finally {
    await Promise.all(sides.map((s) => s.stop()));
  }
}

runBench(async () => {
  const report = new Report('P2', 'completing a TOTP challenge, against Better Auth', 'bench:totp');
  report.text(
    'Both apps are Express 5 with email + password sign-in on the same machine: nestjs-mfa through `createMfa()` with express-session ' +
      "and passport-local (`bench/servers/ours-express.server.ts`; sessions in express-session's MemoryStore, the audit trail in the " +
      "database: `audit: 'database'`), Better Auth 1.7.25 with `twoFactor()` mounted by `toNodeHandler` (`bench/better-auth/server.mjs`). " +
      'Better Auth runs with `NODE_ENV=production` (nestjs-mfa reads no NODE_ENV) and its defaults except one: **its rate limiter is disabled** (`rateLimit: { enabled: false }`), ' +
      'since it would answer 429 to a load test from one address. Its per-challenge attempt cap and account lockout stay on. ' +
      'Both libraries verify the same RFC 6238 codes (SHA-1, 6 digits, 30 s, ±1 step) from one client. ' +
      'Challenges are pre-created through each library (nestjs-mfa: the enrollment row, a signed-in session, and the challenge opened by the engine ' +
      'exactly as the guarded route opens it; Better Auth: the user and twoFactor rows and the `2fa-…` / `2fa-attempts-…` verification rows its sign-in hook writes, ' +
      'with its signed `two_factor` cookie). On success nestjs-mfa marks the existing session verified; Better Auth creates the session (its sign-in completes here). ' +
      'nestjs-mfa also spends the code (a replayed code is refused) and writes an audit row.',
  );
  report.text();
  if (!betterAuthInstalled()) {
    report.skip('P2', BA_MISSING);
    return report.save();
  }
  await benchKind(report, 'sqlite');
  const svc = await services();
  if (svc.postgres) report.skip('P2 on PostgreSQL', svc.postgres);
  else await benchKind(report, 'postgres');
  report.save();
});
