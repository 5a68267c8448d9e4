// Invariant: a what-if reads the audit trail page by page without losing or repeating an event,
// however many share a timestamp, and each page is an index range on (type, at, id), never a
// scan and sort of the whole trail — on every dialect.
import { DataSource, DataSourceOptions, Logger } from 'typeorm';
import type { AuditEvent, DecisionReplay } from '../../core/src';
import { compilePolicy } from '../../core/src/policy/compile-policy';
import { whatIf } from '../../core/src/policy/what-if';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { TypeOrmAuditSink } from './typeorm-audit.sink';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

const BACKENDS = ownDatabaseBackends('nestjs_mfa_audit_paging_spec', { type: 'better-sqlite3', database: ':memory:' });

/** The last statement that read the audit table, with its parameters. */
class LastAuditRead implements Logger {
  sql = '';
  params: unknown[] = [];
  logQuery(query: string, parameters?: unknown[]): void {
    if (/^SELECT/i.test(query) && query.includes('mfa_audit_events'))
      [this.sql, this.params] = [query, parameters ?? []];
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

const T0 = Date.UTC(2026, 2, 1);
const REPLAY: DecisionReplay = { v: 1, target: { service: 'payments' }, groups: [], context: {}, verified: [] };
const INDEX = 'idx_mfa_audit_type_at_id';

describe.each(BACKENDS.map((b) => [b.name, b] as const))('what-if paging over the audit table on %s', (_n, backend) => {
  let store: TypeOrmMfaStore;
  let sink: TypeOrmAuditSink;
  const reads = new LastAuditRead();

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase({ name: backend.name, options: backend.options });
    store = await TypeOrmMfaStore.connect({ ...backend.options, logging: ['query'], logger: reads });
    sink = new TypeOrmAuditSink(store.dataSource);
    // 450 denials on three timestamps (150 each) and 30 challenges among them, inside the window;
    // 10 denials just outside it, on each side.
    const rows: AuditEvent[] = [];
    const at = (i: number) => T0 + 1000 * (1 + (i % 3));
    for (let i = 0; i < 450; i++)
      rows.push({ type: 'decision.denied', at: at(i), severity: 'warning', userId: `u-${i}`, replay: REPLAY });
    for (let i = 0; i < 30; i++)
      rows.push({ type: 'challenge.issued', at: at(i), severity: 'info', userId: `u-c${i}`, replay: REPLAY });
    for (let i = 0; i < 10; i++)
      rows.push({ type: 'decision.denied', at: i % 2 ? T0 - 1 : T0 + 10_000, severity: 'warning', userId: 'u-out' });
    for (let i = 0; i < rows.length; i += 50) await Promise.all(rows.slice(i, i + 50).map((e) => sink.emit(e)));
  });
  afterAll(() => store?.close());

  const window = { from: T0, to: T0 + 10_000 };

  it('pages past 200 events sharing timestamps without losing or repeating one', async () => {
    const ids: string[] = [];
    const sizes: number[] = [];
    let previous: { at: number; id: string } | undefined;
    let cursor: string | undefined;
    do {
      const page = await sink.query({ type: 'decision.denied', ...window, limit: 200, cursor });
      sizes.push(page.events.length);
      for (const e of page.events) {
        // Newest first, then by id descending: the order the cursor continues from.
        if (previous) expect(e.at < previous.at || (e.at === previous.at && e.id < previous.id)).toBe(true);
        previous = e;
        ids.push(e.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([200, 200, 50]);
    expect(new Set(ids).size).toBe(450);
  });

  it('replays every one of them, counting exactly', async () => {
    const result = await whatIf(sink, compilePolicy({}, 2), window);
    expect(result.coverage).toMatchObject({
      eventsRead: 480,
      replayed: 480,
      notReplayable: 0,
      byType: { 'challenge.issued': 30, 'decision.denied': 450, 'decision.allowed': 0 },
    });
    expect(result).toMatchObject({ changed: 480, wouldAllow: 480 });
  });

  it('reads each page as a range of the (type, at, id) index, with no sort', async () => {
    const first = await sink.query({ type: 'decision.denied', ...window, limit: 200 });
    await sink.query({ type: 'decision.denied', ...window, limit: 200, cursor: first.nextCursor! });
    expect(reads.sql).toMatch(/ORDER BY .e.\..at. DESC, .e.\..id. DESC/); // the cursor's page, as what-if reads it
    const plan = await explain(store.dataSource, backend.options.type, reads.sql, reads.params);
    expect(plan).toContain(INDEX);
    expect(plan).not.toMatch(/TEMP B-TREE|Sort|filesort/i);
  });
});

/** The plan of one statement as text, on the dialect's own EXPLAIN. */
async function explain(ds: DataSource, type: DataSourceOptions['type'], sql: string, params: unknown[]) {
  const runner = ds.createQueryRunner();
  try {
    if (type === 'better-sqlite3') {
      const rows: Array<{ detail: string }> = await runner.query(`EXPLAIN QUERY PLAN ${sql}`, params);
      return rows.map((r) => r.detail).join('\n');
    }
    if (type === 'postgres') {
      // A few hundred rows, nearly all of one type: the planner may rightly prefer a scan, or the
      // `at` index (retention's) plus a sort of a handful of rows, which says nothing about a large
      // trail. Penalising both asks the question that matters: can the (type, at, id) index serve
      // the page in order on its own?
      await runner.query('SET enable_seqscan = off');
      await runner.query('SET enable_sort = off');
      const rows: Array<{ 'QUERY PLAN': string }> = await runner.query(`EXPLAIN ${sql}`, params);
      await runner.query('RESET enable_sort');
      await runner.query('RESET enable_seqscan');
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    }
    const rows: Array<{ key: string | null; Extra: string | null }> = await runner.query(`EXPLAIN ${sql}`, params);
    return rows.map((r) => `${r.key} ${r.Extra ?? ''}`).join('\n');
  } finally {
    await runner.release();
  }
}
