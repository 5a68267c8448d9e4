/**
 * P8, growth: what a guarded request and a TOTP verify cost with 1 k, 100 k and 1 M users in the
 * store, on SQLite and PostgreSQL; the admin audit search over a year of rows; every hot
 * statement's plan; and pruning a retention backlog.
 *   node dist-sample/bench/growth.bench.js   (MFA_BENCH_SMOKE=1: 1 k users against 100)
 * MFA_BENCH_GROWTH_SQLITE_MAX=100000 stops SQLite at that level (its 1 M seed takes minutes on a busy machine).
 * Each level of the growing database is measured against a fresh 1 k-user one side by side, in
 * interleaved rounds, so a ratio compares the two sizes, not two moments of a shared machine.
 */
import { DAY_MS, backlogStatements, SeedKind, SeedTarget, userIdOf } from './lib/growth-seed';
import { openStore, prune, reportStore, searchAudit, seedUsers } from './lib/growth-seed.store';
import { openPostgresSeed, postgresTarget } from './lib/growth-seed.postgres';
import { openSqliteSeed, sqliteTarget } from './lib/growth-seed.sqlite';
import { benchDatabase, fmt, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { eachKind, interleave, ratios, settle, Spread, withRange } from './lib/compare';
import * as ex from './lib/explain';
import { assertClean, measure, RunResult, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { Side, startOurs } from './lib/sides';
import { verifyRun } from './lib/totp-runs';

/** The fresh database every level is measured against, and the levels the growing one passes through. */
const BASE = SMOKE ? 100 : 1_000;
const LEVELS = SMOKE ? [1_000] : [1_000, 100_000, 1_000_000];
const SQLITE_MAX = Number(process.env.MFA_BENCH_GROWTH_SQLITE_MAX ?? Infinity);
/** 10 a user puts 10 M audit rows in PostgreSQL at 1 M users; SQLite gets fewer, to keep the run short. */
const AUDIT_PER_USER: Record<SeedKind, number> = { postgres: 10, sqlite: SMOKE ? 10 : 3 };
const VERIFY_POOL = SMOKE ? 40 : 600;
const BACKLOG = SMOKE ? 2_000 : 200_000;
const GUARDED_SECONDS = Math.min(SECONDS, SMOKE ? 1 : 2);
const KPIS = {
  guardedCpu: 'guarded request, CPU µs',
  guardedSql: 'guarded request, SQL statements',
  verifyCpu: 'TOTP verify, CPU µs',
  verifySql: 'TOTP verify, SQL statements',
};
type Kpi = keyof typeof KPIS;
type Compared = Record<Kpi, { base: number[]; grown: number[]; ratio: Spread }>;

const newTarget = (kind: SeedKind, name: string): Promise<SeedTarget> =>
  kind === 'postgres' ? postgresTarget(POSTGRES_URL, name) : Promise.resolve(sqliteTarget(name));
/** The session cache is off, so every guarded request reads its session's verifications from the store. */
const start = (name: string, t: SeedTarget) =>
  startOurs(name, t.kind, { ...t.env, MFA_BENCH_SESSION_CACHE_TTL: '0', MFA_BENCH_RETENTION: '0' });

async function guardedCookie(side: Side): Promise<string> {
  const [e] = await side.seed({ users: 1, verified: true });
  return e.cookie;
}

async function guardedRun(side: Side, cookie: string, seconds = GUARDED_SECONDS): Promise<RunResult> {
  const request = { path: '/bench/guarded', headers: { cookie } };
  const r = await measure(side.server, { request, seconds, expect: (status) => status === 200 });
  assertClean(`${side.server.name} guarded`, r);
  return r;
}

async function freshVerifyRun(side: Side, users: number): Promise<RunResult> {
  const entries = await side.seed({ users });
  await settle();
  return verifyRun(side, entries, true, 'verify');
}

/** Interleaved rounds on the base and the grown database; ratios are per round, grown ÷ base. */
async function compare(base: Side, grown: Side): Promise<Compared> {
  const cookies = new Map([
    [base, await guardedCookie(base)],
    [grown, await guardedCookie(grown)],
  ]);
  const got = new Map<Side, Record<Kpi, number[]>>();
  for (const side of [base, grown]) {
    if (!SMOKE) {
      await guardedRun(side, cookies.get(side)!, 1); // JIT, pools and caches, not measured
      await freshVerifyRun(side, 200);
    }
    got.set(side, { guardedCpu: [], guardedSql: [], verifyCpu: [], verifySql: [] });
  }
  for (let round = 0; round < ROUNDS; round++)
    for (const side of interleave(round, [base, grown])) {
      const g = await guardedRun(side, cookies.get(side)!);
      const v = await freshVerifyRun(side, VERIFY_POOL);
      const k = got.get(side)!;
      k.guardedCpu.push(g.cpuPerRequest);
      k.guardedSql.push(g.queriesPerRequest);
      k.verifyCpu.push(v.cpuPerRequest);
      k.verifySql.push(v.queriesPerRequest);
    }
  const [b, g] = [got.get(base)!, got.get(grown)!];
  const kpi = (k: Kpi) => ({ base: b[k], grown: g[k], ratio: ratios(g[k], b[k]) });
  return {
    guardedCpu: kpi('guardedCpu'),
    guardedSql: kpi('guardedSql'),
    verifyCpu: kpi('verifyCpu'),
    verifySql: kpi('verifySql'),
  };
}

/** At the largest level: the hot statements' plans, the admin audit search, then pruning a backlog. */
async function probeStore(report: Report, t: SeedTarget, grown: Side, users: number) {
  const cookie = await guardedCookie(grown);
  const guarded = await ex.traced(grown, async () => {
    await (await fetch(`${grown.server.base}/bench/guarded`, { headers: { cookie } })).text();
  });
  const [e] = await grown.seed({ users: 1 });
  const spec = grown.verify(e, totp(e.key, Date.now()));
  const verify = await ex.traced(grown, async () => {
    await (
      await fetch(grown.server.base + spec.path, { method: 'POST', headers: spec.headers, body: spec.body })
    ).text();
  });
  const pg = t.kind === 'postgres' ? await openPostgresSeed(t.store) : undefined;
  const lite = pg ? undefined : openSqliteSeed(t.store);
  const explain = async (label: string, sql: string, params?: unknown[], analyze = false) =>
    pg ? ex.explainPostgres(pg.client, label, sql, params, analyze) : ex.explainSqlite(lite!.db, label, sql, params);
  const store = await openStore(t.kind, t.store);
  try {
    const plans: ex.Plan[] = [];
    for (const sql of ex.plannable(guarded)) plans.push(await explain('guarded request', sql));
    for (const sql of ex.plannable(verify)) plans.push(await explain('TOTP verify', sql));
    const userId = userIdOf(Math.ceil(users / 3));
    const audit = await searchAudit(store, (l, s, p) => explain(l, s, p, true), userId, SMOKE ? 3 : 7);
    report.log(`${t.kind} audit search: ${audit.map((a) => `${a.label} ${fmt(a.ms, 1)} ms`).join(', ')}`);
    const db = pg ?? lite!;
    for (const [label, sql] of backlogStatements(t.kind, BACKLOG, users, Date.now())) {
      await db.run(sql);
      report.log(`${t.kind} backlog: ${label}`);
    }
    await db.run('ANALYZE');
    await settle(); // SQLite seeds synchronously: let the client see the keep-alive sockets the server closed meanwhile
    // A guarded request's cost alone, then while the backlog is pruned beside it.
    if (!SMOKE) await guardedRun(grown, cookie, 1);
    const quiet = await guardedRun(grown, cookie);
    const cutoff = Date.now() - 3_600_000; // RETENTION_GRACE_MS
    const kinds = ['challenges', 'otpCodes', 'grants'] as const;
    const pruning = (async () => {
      const out = [];
      for (const kind of kinds) out.push(await prune(store, kind, cutoff, explain));
      return out;
    })();
    const during = await guardedRun(grown, cookie);
    const pruned = await pruning;
    // A month of audit rows past a 335-day retention: the kind that grows with the user count.
    pruned.push(await prune(store, 'auditEvents', Date.now() - 335 * DAY_MS, explain));
    plans.push(...pruned.map((p) => p.plan));
    return { plans, audit, quiet, during, pruned };
  } finally {
    await store.ds.destroy();
    await (pg ?? lite)!.close();
  }
}

function reportProbe(report: Report, kind: SeedKind, name: string, p: Awaited<ReturnType<typeof probeStore>>): void {
  const all = [...p.plans, ...p.audit.map((a) => a.plan)];
  const flagged = ex.countFlagged(all);
  report.text(
    `Plans at the largest level: the statements of one guarded request and one TOTP verify as the server sent them (\`/bench/trace\`; ` +
      `PostgreSQL: generic plans), the retention deletes and the audit search pages. ${flagged} of ${all.length} read a big table whole.`,
  );
  report.text();
  const met = flagged === 0;
  report.figure({
    id: `P8 ${kind}`,
    label: `statements reading a big table whole, ${name}`,
    value: `${flagged} of ${all.length}`,
    goal: '0',
    met,
  });
  for (const line of ex.plansMarkdown(`Plans, ${name}`, p.plans)) report.text(line);
  reportStore(report, kind, name, p);
}

async function benchKind(report: Report, kind: SeedKind): Promise<void> {
  const name = kind === 'postgres' ? 'PostgreSQL' : 'SQLite (WAL)';
  const levels = LEVELS.filter((n) => kind === 'postgres' || n <= SQLITE_MAX);
  const grownTarget = await newTarget(kind, benchDatabase('growth'));
  const rows: Array<Array<string | number>> = [];
  const log = (line: string) => report.log(line);
  let top: Compared | undefined;
  let probe: Awaited<ReturnType<typeof probeStore>> | undefined;
  try {
    for (const [i, users] of levels.entries()) {
      const level = { from: (levels[i - 1] ?? 0) + 1, to: users, auditPerUser: AUDIT_PER_USER[kind] };
      const baseTarget = await newTarget(kind, benchDatabase('growth_base'));
      // Both servers restart each level (equally cold); their first start runs the migrations that seeding fills.
      const [base, grown] = await Promise.all([
        start(`p8-${kind}-base`, baseTarget),
        start(`p8-${kind}-${users}`, grownTarget),
      ]);
      try {
        const seeded = await seedUsers(grownTarget, level, log);
        await seedUsers(baseTarget, { ...level, from: 1, to: BASE }, log);
        await settle();
        top = await compare(base, grown);
        const cell = (k: Kpi) => {
          const d = k.endsWith('Sql') ? 1 : 0;
          const c = top![k];
          return `${fmt(c.grown.reduce((a, x) => a + x, 0) / c.grown.length, d)} ÷ ${fmt(c.base.reduce((a, x) => a + x, 0) / c.base.length, d)}: **${withRange(c.ratio)}**`;
        };
        rows.push([users.toLocaleString('en'), fmt(seeded, 0), ...(Object.keys(KPIS) as Kpi[]).map(cell)]);
        log(
          `${kind} ${users} users: ${(Object.keys(KPIS) as Kpi[]).map((k) => `${k} ×${fmt(top![k].ratio.median, 2)}`).join(', ')}`,
        );
        if (i === levels.length - 1) probe = await probeStore(report, grownTarget, grown, users);
      } finally {
        await Promise.all([base.stop(), grown.stop()]);
        await baseTarget.drop();
      }
    }
  } finally {
    await grownTarget.drop();
  }
  report.text(`### ${name}`);
  report.text();
  const base = BASE.toLocaleString('en');
  report.table(
    ['users', 'seeded in, s', ...Object.values(KPIS).map((l) => `${l}: grown ÷ ${base} (mean), ratio`)],
    rows,
  );
  const label = `${levels.at(-1)!.toLocaleString('en')} ÷ ${base} users, ${name}`;
  for (const [k, l] of Object.entries(KPIS) as Array<[Kpi, string]>) {
    const ratio = top![k].ratio.median;
    report.figure({
      id: `P8 ${kind}`,
      label: `${l} per request, ${label}`,
      value: fmt(ratio, 2),
      goal: '≤ 1.2',
      met: ratio <= 1.2,
    });
  }
  if (probe) reportProbe(report, kind, name, probe);
}

runBench(async () => {
  const report = new Report('P8', 'growth: cost at 1 k, 100 k and 1 M users', 'bench:growth');
  report.text(
    `Each level adds users to one database (set-based INSERT … SELECT into the migrations' tables, indexes in place, ANALYZE after): ` +
      `per user one TOTP enrollment (1 in 10 also SMS, 1 in 20 a passkey), 10 backup codes (2 spent), 1.5 trusted devices, one live ` +
      `session verification, and audit rows over the last year (${AUDIT_PER_USER.postgres} a user on PostgreSQL, ${AUDIT_PER_USER.sqlite} on SQLite). ` +
      `Challenges, step-up grants and SMS codes are the steady state just after an hourly retention run: two sign-ins a user a day, the last 65 minutes kept. User ids are a hash ` +
      `of the user number, spread over the key space; row ids are random. Each level is measured against a fresh ${BASE.toLocaleString('en')}-user ` +
      `database (plus the users the measured verifies create, one each), ${ROUNDS} interleaved rounds, ratio = median of per-round ratios (range in parentheses). The session cache is off ` +
      `(\`MFA_BENCH_SESSION_CACHE_TTL=0\`), so a guarded request reads the store. Guarded runs last ${GUARDED_SECONDS} s; verify runs answer ${VERIFY_POOL} fresh challenges.`,
  );
  report.text();
  await eachKind(report, 'P8', (kind) => benchKind(report, kind));
  report.save();
});
