/**
 * P2, completing a TOTP challenge: nestjs-mfa against Better Auth (twoFactor plugin), same
 * machine, same database kind (SQLite in WAL mode, then PostgreSQL), 5 interleaved rounds.
 *   npm run bench:totp
 * Every measured valid-code request answers a fresh challenge pre-created through the library's own
 * storage (the rows a real sign-in leaves) that no wrong code has touched; the invalid-code run has
 * a pool of its own. A crosscheck compares their cost with challenges from real sign-ins; also a
 * replayed code on both sides. On PostgreSQL the headline counts the database backends' CPU too.
 */
import { BA_POSTGRES_URL, CONNECTIONS, fmt, median, POSTGRES_URL, SECONDS, SMOKE } from './lib/bench-env';
import { RunResult } from './lib/load';
import { Report, runBench } from './lib/report';
import { BA_MISSING, betterAuthInstalled } from './lib/servers';
import { resetPostgres } from './lib/services';
import { DbKind, PoolEntry, Side, startBetterAuth, startOurs } from './lib/sides';
import {
  eachKind,
  helloRun,
  interleave,
  kindTitle,
  P2_ROUNDS,
  perRound,
  poolSize,
  range,
  ratios,
  withRange,
} from './lib/compare';
import { crosscheckAndReplay, MeasuredRun, measuredVerify, verifyRun } from './lib/totp-runs';

/** Issue #18: ours ÷ Better Auth in requests per CPU-second. */
const GOAL: Record<DbKind, number> = { sqlite: 8, postgres: 6 };

type Runs = { valid: MeasuredRun[]; invalid: MeasuredRun[]; hello: RunResult[] };

async function benchKind(report: Report, kind: DbKind): Promise<void> {
  const title = kindTitle(kind);
  if (kind === 'postgres') {
    await resetPostgres(POSTGRES_URL);
    await resetPostgres(BA_POSTGRES_URL);
  }
  const ours = await startOurs(`p2-ours-${kind}`, kind);
  const theirs = await startBetterAuth(`p2-better-auth-${kind}`, kind);
  const sides: [Side, Side] = [ours, theirs];
  // On PostgreSQL each side's own database, whose backends' CPU is measured with the server's.
  const dbUrl = (s: Side) => (kind === 'postgres' ? (s === ours ? POSTGRES_URL : BA_POSTGRES_URL) : undefined);
  try {
    // Warm-up (JIT, caches, pools), which also sizes each side's runs; a smoke run only checks that everything runs.
    const amount = new Map<Side, number>();
    for (const side of sides) {
      if (SMOKE) {
        amount.set(side, 40);
        continue;
      }
      const warm = await side.seed({ users: 1000 });
      await verifyRun(side, warm, false, 'warm-up invalid');
      amount.set(side, poolSize((await verifyRun(side, warm, true, 'warm-up valid')).rps));
    }
    const results = new Map<Side, Runs>(sides.map((s) => [s, { valid: [], invalid: [], hello: [] }]));
    const runs = (s: Side) => results.get(s)!;
    for (let round = 0; round < P2_ROUNDS; round++) {
      const order = interleave(round, sides);
      // Separate pools: the valid-code run answers challenges no wrong code has touched (no failure count to clear).
      const pools = new Map<Side, { invalid: PoolEntry[]; valid: PoolEntry[] }>();
      for (const side of order)
        pools.set(side, {
          invalid: await side.seed({ users: amount.get(side)! }),
          valid: await side.seed({ users: amount.get(side)! }),
        });
      for (const side of order)
        runs(side).invalid.push(
          await measuredVerify(side, pools.get(side)!.invalid, false, 'invalid code', dbUrl(side)),
        );
      for (const side of order)
        runs(side).valid.push(await measuredVerify(side, pools.get(side)!.valid, true, 'valid code', dbUrl(side)));
      for (const side of order) runs(side).hello.push(await helloRun(side));
      const v = (s: Side) => runs(s).valid[round];
      const all = (r: MeasuredRun) => r.cpuPerRequest + r.dbCpuPerRequest;
      report.log(
        `${kind} round ${round + 1}: valid ours ${fmt(v(ours).rps)} req/s ${fmt(v(ours).cpuPerRequest)} µs/req | ` +
          `Better Auth ${fmt(v(theirs).rps)} req/s ${fmt(v(theirs).cpuPerRequest)} µs/req | ` +
          `per CPU-second ${fmt(v(theirs).cpuPerRequest / v(ours).cpuPerRequest, 2)}` +
          (dbUrl(ours) ? ` (with PostgreSQL: ${fmt(all(v(theirs)) / all(v(ours)), 2)})` : ''),
      );
    }
    const m = (s: Side, k: keyof Runs, f: 'rps' | 'cpuPerRequest' | 'queriesPerRequest') =>
      median(runs(s)[k].map((r) => r[f]));
    const each = (s: Side, k: keyof Runs, f: 'rps' | 'cpuPerRequest') => runs(s)[k].map((r) => r[f]);
    // Per-round pairs, then their median: a pair ran seconds apart, so machine drift mostly cancels.
    const cpu = ratios(each(theirs, 'valid', 'cpuPerRequest'), each(ours, 'valid', 'cpuPerRequest'));
    // Node + PostgreSQL backends: ours fuses verify into one statement, Better Auth sends several simple ones.
    const withDb = (s: Side) => runs(s).valid.map((r) => r.cpuPerRequest + r.dbCpuPerRequest);
    const dbMedian = (s: Side) => median(runs(s).valid.map((r) => r.dbCpuPerRequest));
    const full = ratios(withDb(theirs), withDb(ours));
    const pg = kind === 'postgres';
    const rps = ratios(each(ours, 'valid', 'rps'), each(theirs, 'valid', 'rps'));
    const invCpu = ratios(each(theirs, 'invalid', 'cpuPerRequest'), each(ours, 'invalid', 'cpuPerRequest'));
    const invRps = ratios(each(ours, 'invalid', 'rps'), each(theirs, 'invalid', 'rps'));
    const row = (what: string, k: keyof Runs, f: 'rps' | 'cpuPerRequest' | 'queriesPerRequest', r = '', d = 0) => [
      what,
      fmt(m(ours, k, f), d),
      fmt(m(theirs, k, f), d),
      r,
    ];

    report.text(`### ${title}`);
    report.text();
    report.table(
      ['', 'nestjs-mfa', 'Better Auth', 'ours ÷ theirs (median of rounds; range)'],
      [
        row(
          'valid code, server CPU µs/request',
          'valid',
          'cpuPerRequest',
          `${pg ? '' : '**'}${fmt(cpu.median, 2)}${pg ? ' (Node only)' : '**'} (${range(cpu)}) requests per CPU-second`,
        ),
        ...(pg
          ? [
              ['valid code, PostgreSQL backend CPU µs/request', fmt(dbMedian(ours)), fmt(dbMedian(theirs)), ''],
              [
                'valid code, server + PostgreSQL CPU µs/request',
                fmt(median(withDb(ours))),
                fmt(median(withDb(theirs))),
                `**${fmt(full.median, 2)}** (${range(full)}) requests per CPU-second, database included`,
              ],
            ]
          : []),
        row('valid code, req/s', 'valid', 'rps', `${fmt(rps.median, 2)} (${range(rps)})`),
        row('valid code, SQL statements/request', 'valid', 'queriesPerRequest', '', 1),
        row(
          'invalid code, server CPU µs/request',
          'invalid',
          'cpuPerRequest',
          `${fmt(invCpu.median, 2)} (${range(invCpu)}) requests per CPU-second`,
        ),
        row('invalid code, req/s', 'invalid', 'rps', `${fmt(invRps.median, 2)} (${range(invRps)})`),
        row('invalid code, SQL statements/request', 'invalid', 'queriesPerRequest', '', 1),
        row('bare hello route, CPU µs/request (same app)', 'hello', 'cpuPerRequest'),
      ],
    );
    report.text(
      `Medians of ${P2_ROUNDS} interleaved rounds (ours first in odd rounds, Better Auth first in even ones), ${CONNECTIONS} connections; ` +
        `each run sends one request per pre-created challenge (${amount.get(ours)} for nestjs-mfa, ${amount.get(theirs)} for Better Auth, ` +
        `sized to last about ${SECONDS} s), the invalid-code and valid-code runs on separate pools, each after a settle. ` +
        (pg
          ? 'CPU with PostgreSQL adds the backends serving each side its own database (from /proc): ours verifies in one fused ' +
            'statement, Better Auth in several simple ones, so Node-only CPU alone would favour us. '
          : '') +
        `Ratios are taken per round, then their median; the range is their min–max. Valid code, per round:`,
    );
    report.text();
    report.table(
      [
        'round',
        'nestjs-mfa CPU µs',
        'Better Auth CPU µs',
        'per CPU-second ours ÷ BA',
        'nestjs-mfa req/s',
        'Better Auth req/s',
        'req/s ours ÷ BA',
      ],
      cpu.rounds.map((c, i) => [
        i + 1,
        fmt(runs(ours).valid[i].cpuPerRequest),
        fmt(runs(theirs).valid[i].cpuPerRequest),
        fmt(c, 2),
        fmt(runs(ours).valid[i].rps),
        fmt(runs(theirs).valid[i].rps),
        fmt(rps.rounds[i], 2),
      ]),
    );
    if (pg) {
      const seen = dbMedian(ours) > 0 && dbMedian(theirs) > 0; // 0: the backends are not visible in this /proc
      report.figure({
        id: `P2 ${kind}`,
        label:
          `TOTP challenge completion, ${title}: requests per CPU-second ours ÷ Better Auth, server + PostgreSQL backends ` +
          `(per round: ${perRound(full)}; Node only: ${withRange(cpu)}, no goal)`,
        value: seen ? withRange(full) : 'not measured (PostgreSQL backends not visible in /proc)',
        goal: `≥ ${GOAL[kind]}`,
        met: seen && full.median >= GOAL[kind],
      });
    } else
      report.figure({
        id: `P2 ${kind}`,
        label: `TOTP challenge completion, ${title}: requests per CPU-second ours ÷ Better Auth (per round: ${perRound(cpu)})`,
        value: withRange(cpu),
        goal: `≥ ${GOAL[kind]}`,
        met: cpu.median >= GOAL[kind],
      });
    report.figure({
      id: `P2 ${kind}`,
      label: `TOTP challenge completion, ${title}: req/s ours ÷ Better Auth (load client on the same machine; no goal)`,
      value: withRange(rps),
    });
    report.figure({
      id: `P2 ${kind}`,
      label: `invalid code, ${title}: req/s ours ÷ Better Auth (per CPU-second: ${withRange(invCpu)})`,
      value: withRange(invRps),
    });
    report.figure({
      id: `P2 ${kind}`,
      label: `replayed TOTP code (${kind}): nestjs-mfa / Better Auth`,
      value: await crosscheckAndReplay(report, sides),
    });
  } finally {
    await Promise.all(sides.map((s) => s.stop()));
  }
}

runBench(async () => {
  const report = new Report('P2', 'completing a TOTP challenge, against Better Auth', 'bench:totp', {
    rounds: P2_ROUNDS,
  });
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
  await eachKind(report, 'P2', (kind) => benchKind(report, kind));
  report.save();
});
