/**
 * P8's seeded store through the library's own code: seeding a level, the admin audit search
 * (TypeOrmAuditSink.query, what GET /admin/audit answers from) and retention's bounded deletes
 * (TypeOrmRetentionStore), each timed with its statement handed to EXPLAIN; and their report.
 */
import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import type { AuditQuery } from '../../libs/core/src';
import type { RetentionKind } from '../../libs/core/src/retention/retention.port';
import { mfaEntities, TypeOrmAuditSink, TypeOrmRetentionStore } from '../../libs/typeorm/src';
import { fmt, median } from './bench-env';
import { countFlagged, Plan, plansMarkdown } from './explain';
import { LevelSeed, levelStatements, SeedKind, SeedTarget } from './growth-seed';
import type { RunResult } from './load';
import type { Report } from './report';
import { postgresBackendCpu } from './services';
import type { Side } from './sides';

/** Users from..to with all their rows, then ANALYZE (the statistics autovacuum would have); returns seconds. */
export async function seedUsers(t: SeedTarget, level: LevelSeed, log: (line: string) => void): Promise<number> {
  const began = performance.now();
  const db = await t.open();
  try {
    for (const [label, sql] of levelStatements(t.kind, level, Date.now())) {
      const at = performance.now();
      await db.run(sql);
      log(`${t.kind} seed ${label}: ${((performance.now() - at) / 1000).toFixed(1)} s`);
    }
    await db.run('ANALYZE');
  } finally {
    await db.close();
  }
  return (performance.now() - began) / 1000;
}

/** P8's measured figures per request; the ≤ 1.2 goal is on the whole CPU and the statement count. */
export const KPIS = {
  guardedCpu: 'guarded request, CPU µs (Node + PostgreSQL)',
  guardedNode: 'guarded request, Node CPU µs',
  guardedPg: 'guarded request, PostgreSQL CPU µs',
  guardedSql: 'guarded request, SQL statements',
  verifyCpu: 'TOTP verify, CPU µs (Node + PostgreSQL)',
  verifyNode: 'TOTP verify, Node CPU µs',
  verifyPg: 'TOTP verify, PostgreSQL CPU µs',
  verifySql: 'TOTP verify, SQL statements',
};
export type Kpi = keyof typeof KPIS;
/** SQLite runs in the Node process: no separate database CPU, its Node figure is the whole. */
export const kpisOf = (kind: SeedKind) =>
  (Object.keys(KPIS) as Kpi[]).filter((k) => kind === 'postgres' || !/Node|Pg$/.test(k));
export const kpiName = (kind: SeedKind, k: Kpi) =>
  kind === 'postgres' ? KPIS[k] : KPIS[k].replace(' (Node + PostgreSQL)', '');

/** The database each side's server uses on PostgreSQL, whose backends' CPU is added to the server's. */
export const dbUrl = new WeakMap<Side, string>();
export type Run = RunResult & { pgPerRequest: number; cpuTotal: number };

/** `run` bracketed by the CPU of the PostgreSQL backends serving the side's own database. */
export async function withDb(side: Side, run: () => Promise<RunResult>): Promise<Run> {
  const url = dbUrl.get(side);
  const pg = url ? postgresBackendCpu(url) : undefined;
  let micros = 0;
  const r = await run().finally(async () => void (micros = pg ? await pg.stop() : 0));
  const pgPerRequest = micros / (r.total || 1);
  return { ...r, pgPerRequest, cpuTotal: r.cpuPerRequest + pgPerRequest };
}

export type Captured = Array<[sql: string, params: unknown[]]>;

/** The store's tables through a DataSource of the bench's own, every statement it sends captured while asked. */
export async function openStore(kind: 'sqlite' | 'postgres', target: string) {
  let sink: Captured | null = null;
  const none = () => undefined;
  const logger: Logger = {
    logQuery: (q, p) => void sink?.push([q.replace(/\s+/g, ' '), (p ?? []) as unknown[]]),
    logQueryError: none,
    logQuerySlow: none,
    logSchemaBuild: none,
    logMigration: none,
    log: none,
  };
  const ds = new DataSource({
    ...(kind === 'postgres' ? { type: 'postgres', url: target } : { type: 'better-sqlite3', database: target }),
    entities: mfaEntities,
    logging: ['query'],
    logger,
  } as DataSourceOptions);
  await ds.initialize();
  return {
    ds,
    async capture<T>(run: () => Promise<T>): Promise<{ value: T; statements: Captured }> {
      const statements: Captured = (sink = []);
      try {
        return { value: await run(), statements };
      } finally {
        sink = null;
      }
    },
  };
}
export type Store = Awaited<ReturnType<typeof openStore>>;
export type Explain = (label: string, sql: string, params: unknown[]) => Promise<Plan>;

/** Pages of the admin audit search, each the median of `times` calls, its plan from EXPLAIN (ANALYZE on PostgreSQL). */
export async function searchAudit(store: Store, explain: Explain, userId: string, times: number) {
  const sink = new TypeOrmAuditSink(store.ds);
  const now = Date.now();
  const out: Array<{ label: string; coldMs: number; ms: number; events: number; plan: Plan }> = [];
  let cursor: string | null = null;
  const variants: Array<[string, () => AuditQuery]> = [
    ['newest page, no filter', () => ({})],
    ['one type', () => ({ type: 'challenge.verified' })],
    ['one type, next page (cursor)', () => ({ type: 'challenge.verified', cursor: cursor ?? undefined })],
    ['a rare type, six months back', () => ({ type: 'totp.replayed', to: now - 182 * 86_400_000 })],
    ['one user', () => ({ userId })],
    ['last 7 days', () => ({ from: now - 7 * 86_400_000, to: now })],
  ];
  for (const [label, q] of variants) {
    const cold = performance.now(); // the first call: its pages may not be cached yet
    const { value: page, statements } = await store.capture(() => sink.query({ ...q(), limit: 50 }));
    const coldMs = performance.now() - cold;
    if (label === 'one type') cursor = page.nextCursor;
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const began = performance.now();
      await sink.query({ ...q(), limit: 50 });
      ms.push(performance.now() - began);
    }
    const [sql, params] = statements.find(([s]) => /mfa_audit_events/.test(s))!;
    out.push({ label, coldMs, ms: median(ms), events: page.events.length, plan: await explain(label, sql, params) });
  }
  return out;
}

/**
 * Prunes `kind` before `cutoff` in batches as the retention service does, without its per-run
 * cap. `explain` sees the statement (one row deleted first, untimed, to capture it) while the
 * backlog is still there, with the batch size as its limit.
 */
export async function prune(store: Store, kind: RetentionKind, cutoff: number, explain: Explain, batch = 500) {
  const retention = new TypeOrmRetentionStore(store.ds);
  const { statements } = await store.capture(() => retention.pruneExpired(kind, cutoff, 1));
  const [sql, params] = statements[0];
  const plan = await explain(
    `retention: ${kind}`,
    sql,
    params.map((p) => (p === 1 ? batch : p)),
  );
  const began = performance.now();
  let rows = 0;
  let batches = 0;
  let slowest = 0;
  for (;;) {
    const at = performance.now();
    const n = await retention.pruneExpired(kind, cutoff, batch);
    slowest = Math.max(slowest, performance.now() - at);
    rows += n;
    batches++;
    if (n < batch) break;
  }
  return { kind, rows, batches, seconds: (performance.now() - began) / 1000, slowestMs: slowest, plan };
}

export interface StoreProbe {
  audit: Awaited<ReturnType<typeof searchAudit>>;
  pruned: Array<Awaited<ReturnType<typeof prune>>>;
  /** A guarded request's runs just before the pruning, and beside it. */
  quiet: RunResult;
  during: RunResult;
}

export function reportStore(report: Report, kind: string, name: string, p: StoreProbe): void {
  report.text(
    'Admin audit search (`GET /admin/audit` → `TypeOrmAuditSink.query`, 50 a page), wall time of the store call: the first (cold) call and the median of the warm ones after it:',
  );
  report.text();
  const scan = (pl: Plan) =>
    pl.failed ? '**could not plan**' : pl.fullScans.length ? `**full scan of ${pl.fullScans.join(', ')}**` : 'index';
  const analyzed = (pl: Plan) => (pl.executionMs === undefined ? '' : fmt(pl.executionMs, 2));
  report.table(
    ['page', 'ms, first call', 'ms, warm (median)', 'ms, EXPLAIN ANALYZE', 'events', 'plan'],
    p.audit.map((a) => [a.label, fmt(a.coldMs, 1), fmt(a.ms, 1), analyzed(a.plan), a.events, scan(a.plan)]),
  );
  const plans = p.audit.map((a) => a.plan);
  for (const line of plansMarkdown(`Audit search plans, ${name}`, plans)) report.text(line);
  const worst = Math.max(...p.audit.map((a) => a.ms));
  const goal = kind === 'postgres' ? { goal: '< 50', met: worst < 50 } : {};
  const label = `admin audit search, slowest page (ms), ${name}`;
  report.figure({ id: `P8 ${kind}`, label, value: fmt(worst, 1), ...goal });
  report.text(
    'Pruning a backlog, 500 rows a statement as the retention service does (without its 100 batches a run cap):',
  );
  report.text();
  report.table(
    ['kind', 'rows', 'batches', 's', 'rows/s', 'slowest batch, ms'],
    p.pruned.map((r) => [r.kind, r.rows, r.batches, fmt(r.seconds, 1), fmt(r.rows / r.seconds), fmt(r.slowestMs, 1)]),
  );
  const [q, d] = [p.quiet, p.during];
  report.text(
    `A guarded request while challenges, codes and grants were pruned: ${fmt(d.cpuPerRequest)} µs CPU, ` +
      `${fmt(d.queriesPerRequest, 1)} statements, ${fmt(d.rps)} req/s; just before: ${fmt(q.cpuPerRequest)} µs, ` +
      `${fmt(q.queriesPerRequest, 1)} statements, ${fmt(q.rps)} req/s (CPU ×${fmt(d.cpuPerRequest / q.cpuPerRequest, 2)}; ` +
      "the pruning ran in the load generator's process).",
  );
  report.text();
  const short = p.pruned.slice(0, 3);
  const rate = short.reduce((a, r) => a + r.rows, 0) / short.reduce((a, r) => a + r.seconds, 0);
  const what = `pruning expired challenges, codes and grants (rows/s), ${name}`;
  report.figure({ id: `P8 ${kind}`, label: what, value: fmt(rate) });
}

/** The plans at the largest level, the count of statements reading a big table whole (goal 0), then the store's tables. */
export function reportProbe(report: Report, kind: SeedKind, name: string, p: StoreProbe & { plans: Plan[] }): void {
  const all = [...p.plans, ...p.audit.map((a) => a.plan)];
  const flagged = countFlagged(all);
  report.text(
    `Plans at the largest level: the statements of one guarded request and one TOTP verify as the server sent them (\`/bench/trace\`; ` +
      `PostgreSQL: generic plans; SQLite: each statement of a logged transaction planned on its own), the retention deletes and the audit search pages. ` +
      `${flagged} of ${all.length} read a big table whole or could not be planned.`,
  );
  report.text();
  report.figure({
    id: `P8 ${kind}`,
    label: `statements reading a big table whole or unplannable, ${name}`,
    value: `${flagged} of ${all.length}`,
    goal: '0',
    met: flagged === 0,
  });
  for (const line of plansMarkdown(`Plans, ${name}`, p.plans)) report.text(line);
  reportStore(report, kind, name, p);
}
