/**
 * P8, growth: what a guarded request and a TOTP verify cost with 1 k, 100 k and 1 M users in the
 * store, on SQLite and PostgreSQL; the admin audit search over a year of rows; every hot
 * statement's plan; and pruning a retention backlog.
 *   node dist-sample/bench/growth.bench.js   (MFA_BENCH_SMOKE=1: 1 k users against 100)
 * MFA_BENCH_GROWTH_SQLITE_MAX=100000 stops SQLite at that level (its 1 M seed takes minutes on a busy machine).
 * Each level of the growing database is measured against a fresh 1 k-user one side by side, in
 * interleaved rounds, so a ratio compares the two sizes, not two moments of a shared machine.
 */
import { RETENTION_GRACE_MS } from '../libs/core/src/retention/retention.service';
import { DAY_MS, backlogStatements, SeedKind, SeedTarget, userIdOf } from './lib/growth-seed';
import {
  dbUrl,
  Kpi,
  kpiName,
  KPIS,
  kpisOf,
  openStore,
  prune,
  reportProbe,
  Run,
  searchAudit,
  seedUsers,
  withDb,
} from './lib/growth-seed.store';
import { openPostgresSeed, postgresTarget } from './lib/growth-seed.postgres';
import { openSqliteSeed, sqliteTarget } from './lib/growth-seed.sqlite';
import { benchDatabase, fmt, POSTGRES_URL, ROUNDS, SECONDS, SMOKE } from './lib/bench-env';
import { eachKind, interleave, ratios, settle, Spread, withRange } from './lib/compare';
import * as ex from './lib/explain';
import { assertClean, measure, totp } from './lib/load';
import { Report, runBench } from './lib/report';
import { PoolEntry, Side, startOurs } from './lib/sides';
import { verifyRun } from './lib/totp-runs';

/** The fresh database every level is measured against, and the levels the growing one passes through. */
const BASE = SMOKE ? 100 : 1_000;
const LEVELS = SMOKE ? [1_000] : [1_000, 100_000, 1_000_000];
const SQLITE_MAX = Number(process.env.MFA_BENCH_GROWTH_SQLITE_MAX ?? Infinity);
/** 10 M audit rows in PostgreSQL at 1 M users; SQLite gets 2 a user so the whole run stays near 20 minutes on a
 * quiet 2-core machine (estimated from earlier seed rates: ~14 k audit rows/s under load; not a measured full run). */
const AUDIT_PER_USER: Record<SeedKind, number> = { postgres: 10, sqlite: SMOKE ? 10 : 2 };
const VERIFY_POOL = SMOKE ? 40 : 600;
const BACKLOG = SMOKE ? 2_000 : 200_000;
const GUARDED_SECONDS = Math.min(SECONDS, SMOKE ? 1 : 2);
const SESSIONS = SMOKE ? 100 : 1_000; // verified sessions a side: guarded runs rotate through them (varied rows)
type Compared = Partial<Record<Kpi, { base: number[]; grown: number[]; ratio: Spread }>>;
const sessions = new WeakMap<Side, PoolEntry[]>();
const newTarget = (kind: SeedKind, name: string): Promise<SeedTarget> =>
  kind === 'postgres' ? postgresTarget(POSTGRES_URL, name) : Promise.resolve(sqliteTarget(name));
/** The session cache is off, so every guarded request reads its session's verifications from the store. */
const start = (name: string, t: SeedTarget) =>
  startOurs(name, t.kind, { ...t.env, MFA_BENCH_SESSION_CACHE_TTL: '0', MFA_BENCH_RETENTION: '0' });

async function sessionsOf(side: Side): Promise<PoolEntry[]> {
  if (!sessions.has(side)) sessions.set(side, await side.seed({ users: SESSIONS, verified: true }));
  return sessions.get(side)!;
}

/** Guarded requests round-robin over the side's verified sessions. */
async function guardedRun(side: Side, seconds = GUARDED_SECONDS): Promise<Run> {
  const entries = await sessionsOf(side);
  let i = 0;
  const cookie = () => entries[i++ % entries.length].cookie;
  const request = () => ({ method: 'GET' as const, path: '/bench/guarded', headers: { cookie: cookie() } });
  const r = await withDb(side, () => measure(side.server, { request, seconds, expect: (status) => status === 200 }));
  assertClean(`${side.server.name} guarded`, r);
  return r;
}

async function freshVerifyRun(side: Side, users: number): Promise<Run> {
  const entries = await side.seed({ users });
  await settle();
  return withDb(side, () => verifyRun(side, entries, true, 'verify'));
}

/** Interleaved rounds on the base and the grown database; ratios are per round, grown ÷ base. */
async function compare(base: Side, grown: Side): Promise<Compared> {
  const got = new Map<Side, Record<Kpi, number[]>>();
  for (const side of [base, grown]) {
    if (!SMOKE) {
      await guardedRun(side, 1); // JIT, pools and caches, not measured
      await freshVerifyRun(side, 200);
    }
    got.set(side, Object.fromEntries(Object.keys(KPIS).map((k) => [k, []])) as unknown as Record<Kpi, number[]>);
  }
  for (let round = 0; round < ROUNDS; round++)
    for (const side of interleave(round, [base, grown])) {
      const k = got.get(side)!;
      for (const [w, r] of [
        ['guarded', await guardedRun(side)],
        ['verify', await freshVerifyRun(side, VERIFY_POOL)],
      ] as const) {
        k[`${w}Cpu`].push(r.cpuTotal);
        k[`${w}Node`].push(r.cpuPerRequest);
        k[`${w}Pg`].push(r.pgPerRequest);
        k[`${w}Sql`].push(r.queriesPerRequest);
      }
    }
  const [b, g] = [got.get(base)!, got.get(grown)!];
  const kpi = (k: Kpi) => [k, { base: b[k], grown: g[k], ratio: ratios(g[k], b[k]) }];
  return Object.fromEntries(kpisOf(dbUrl.has(base) ? 'postgres' : 'sqlite').map(kpi));
}

/** At the largest level: the hot statements' plans, the admin audit search, then pruning a backlog. */
async function probeStore(report: Report, t: SeedTarget, grown: Side, users: number) {
  const { cookie } = (await sessionsOf(grown))[0];
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
    const ms = (a: (typeof audit)[number]) => `${a.label} ${fmt(a.coldMs, 1)} ms cold, ${fmt(a.ms, 1)} warm`;
    report.log(`${t.kind} audit search: ${audit.map(ms).join('; ')}`);
    const db = pg ?? lite!;
    for (const [label, sql] of backlogStatements(t.kind, BACKLOG, users, Date.now())) {
      await db.run(sql);
      report.log(`${t.kind} backlog: ${label}`);
    }
    await db.run('ANALYZE');
    await settle(); // SQLite seeds synchronously: let the client see the keep-alive sockets the server closed meanwhile
    // A guarded request's cost alone, then while the backlog is pruned beside it.
    if (!SMOKE) await guardedRun(grown, 1);
    const quiet = await guardedRun(grown);
    const cutoff = Date.now() - RETENTION_GRACE_MS;
    const kinds = ['challenges', 'otpCodes', 'grants'] as const;
    const pruning = (async () => {
      const out = [];
      for (const kind of kinds) out.push(await prune(store, kind, cutoff, explain));
      return out;
    })();
    // Both settle before the store closes, and a failure of either is thrown, never left unhandled.
    const [d, p] = await Promise.allSettled([guardedRun(grown), pruning]);
    if (d.status === 'rejected') throw d.reason;
    if (p.status === 'rejected') throw p.reason;
    const [during, pruned] = [d.value, p.value];
    // A month of audit rows past a 335-day retention: the kind that grows with the user count.
    pruned.push(await prune(store, 'auditEvents', Date.now() - 335 * DAY_MS, explain));
    plans.push(...pruned.map((p) => p.plan));
    return { plans, audit, quiet, during, pruned };
  } finally {
    await store.ds.destroy();
    await (pg ?? lite)!.close();
  }
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
      const levelStart = performance.now();
      // Both servers restart each level (equally cold); their first start runs the migrations that seeding fills.
      const [base, grown] = await Promise.all([
        start(`p8-${kind}-base`, baseTarget),
        start(`p8-${kind}-${users}`, grownTarget),
      ]);
      if (kind === 'postgres') [base, grown].forEach((s, j) => dbUrl.set(s, [baseTarget, grownTarget][j].store));
      try {
        const seeded = await seedUsers(grownTarget, level, log);
        await seedUsers(baseTarget, { ...level, from: 1, to: BASE }, log);
        await settle();
        top = await compare(base, grown);
        const cell = (k: Kpi) => {
          const d = k.endsWith('Sql') ? 1 : 0;
          const c = top![k]!;
          return `${fmt(c.grown.reduce((a, x) => a + x, 0) / c.grown.length, d)} ÷ ${fmt(c.base.reduce((a, x) => a + x, 0) / c.base.length, d)}: **${withRange(c.ratio)}**`;
        };
        rows.push([users.toLocaleString('en'), fmt(seeded, 0), ...kpisOf(kind).map(cell)]);
        log(
          `${kind} ${users} users: ${kpisOf(kind)
            .map((k) => `${k} ×${fmt(top![k]!.ratio.median, 2)}`)
            .join(', ')}`,
        );
        if (i === levels.length - 1) probe = await probeStore(report, grownTarget, grown, users);
        log(`${kind} level ${users} users done in ${fmt((performance.now() - levelStart) / 1000, 0)} s`);
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
    ['users', 'seeded in, s', ...kpisOf(kind).map((k) => `${kpiName(kind, k)}: grown ÷ ${base} (mean), ratio`)],
    rows,
  );
  const label = `${levels.at(-1)!.toLocaleString('en')} ÷ ${base} users, ${name}`;
  for (const k of kpisOf(kind)) {
    const ratio = top![k]!.ratio.median;
    // The goal is on the whole CPU (Node + PostgreSQL) and the statement count; the parts are shown beside it.
    const goal = /Node|Pg$/.test(k) ? {} : { goal: '≤ 1.2', met: ratio <= 1.2 };
    report.figure({
      id: `P8 ${kind}`,
      label: `${kpiName(kind, k)} per request, ${label}`,
      value: fmt(ratio, 2),
      ...goal,
    });
  }
  if (kind === 'sqlite')
    report.text('SQLite runs inside the Node server process: its CPU figures already include the database.');
  if (probe) reportProbe(report, kind, name, probe);
}

runBench(async () => {
  const report = new Report('P8', 'growth: cost at 1 k, 100 k and 1 M users', 'bench:growth');
  report.text(
    `Each level adds users to one database (set-based INSERT … SELECT into the migrations' tables, indexes in place, ANALYZE after): ` +
      `per user one TOTP enrollment (1 in 10 also SMS, 1 in 20 a passkey), 10 backup codes (2 spent), 1.5 trusted devices, one live ` +
      `session verification, and audit rows over the last year (${AUDIT_PER_USER.postgres} a user on PostgreSQL, ${AUDIT_PER_USER.sqlite} on SQLite, fewer to keep the whole run near 20 minutes). ` +
      `Challenges, step-up grants and SMS codes are the steady state just after an hourly retention run: two sign-ins a user a day, the last 65 minutes kept. User ids are a hash ` +
      `of the user number, spread over the key space; row ids are random. Each level is measured against a fresh ${BASE.toLocaleString('en')}-user ` +
      `database (plus the users the measured verifies create, one each), ${ROUNDS} interleaved rounds, ratio = median of per-round ratios (range in parentheses). The session cache is off ` +
      `(\`MFA_BENCH_SESSION_CACHE_TTL=0\`), so a guarded request reads the store. Guarded runs last ${GUARDED_SECONDS} s, round-robin over ${SESSIONS} verified sessions a side (seeded through the engine; they add as many users to each side); verify runs answer ${VERIFY_POOL} fresh challenges. ` +
      `On PostgreSQL the CPU per request is the Node server's plus that of the PostgreSQL backends serving its own database (sampled from /proc), and the ≤ 1.2 goal is on the sum.`,
  );
  report.text();
  await eachKind(report, 'P8', (kind) => benchKind(report, kind));
  report.save();
});
