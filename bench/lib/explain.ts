/**
 * P8: query plans of statements captured at run time (the server's /bench/trace gives their text,
 * not their values), flagged when a table is read whole. PostgreSQL plans without values are
 * the generic plan (PREPARE + force_generic_plan, every parameter NULL): the plan a prepared
 * statement settles on, and the one whose index use does not hinge on a lucky value. SQLite's
 * EXPLAIN QUERY PLAN does not depend on the values bound.
 */
import type { Client } from 'pg';
import type { SqliteDb } from './growth-seed.sqlite';
import type { Side } from './sides';

export interface Plan {
  label: string;
  sql: string;
  plan: string;
  /** Tables read whole ("Seq Scan on t", SQLite's "SCAN t", or a walk of a whole index). */
  fullScans: string[];
  /** The statement could not be planned: counted as flagged, since nothing shows it is not a full read. */
  failed?: boolean;
  /** PostgreSQL EXPLAIN ANALYZE only. */
  executionMs?: number;
}

/** Tables that hold a handful of rows whatever the user count: a full read of them is fine. */
const SMALL_TABLES = new Set([
  'mfa_policy_versions',
  'mfa_policy_activations',
  'mfa_policy_report_only',
  'mfa_migrations',
]);

/**
 * The statements worth planning: reads and writes, without the audit event tag the tracer adds.
 * SQLite logs a transaction as one string (`BEGIN IMMEDIATE; UPDATE …; …; COMMIT`): each of its
 * statements is planned on its own. PostgreSQL's verify is one data-modifying `WITH …`, kept whole.
 */
export function plannable(queries: string[]): string[] {
  const out = new Set<string>();
  for (const q of queries) {
    for (const part of q.replace(/ \[[\w.]+\]$/, '').split('; ')) {
      const sql = part.trim().replace(/;$/, '');
      if (/^(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(sql) && !/mfa_policy_/.test(sql)) out.add(sql);
    }
  }
  return [...out];
}

const placeholders = (sql: string) => Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));

function flagPostgres(plan: string): string[] {
  const tables = [...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]);
  return [...new Set(tables)].filter((t) => !SMALL_TABLES.has(t));
}

export async function explainPostgres(
  client: Client,
  label: string,
  sql: string,
  params?: unknown[],
  analyze = false,
): Promise<Plan> {
  const lines = (rows: Array<Record<string, string>>) => rows.map((r) => r['QUERY PLAN']).join('\n');
  if (params) {
    // ANALYZE runs the statement: never for one that writes (a data-modifying CTE included).
    const run = analyze && !/\b(INSERT|UPDATE|DELETE)\b/i.test(sql);
    try {
      const res = await client.query(`EXPLAIN ${run ? '(ANALYZE, BUFFERS) ' : ''}${sql}`, params);
      const plan = lines(res.rows);
      const ms = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1];
      return { label, sql, plan, fullScans: flagPostgres(plan), executionMs: ms ? Number(ms) : undefined };
    } catch (err) {
      return { label, sql, plan: `could not plan: ${(err as Error).message}`, fullScans: [], failed: true };
    }
  }
  await client.query('SET plan_cache_mode = force_generic_plan');
  try {
    await client.query(`PREPARE p8_explain AS ${sql}`);
    const nulls = Array<string>(placeholders(sql)).fill('NULL').join(', ');
    const res = await client.query(`EXPLAIN EXECUTE p8_explain${nulls ? `(${nulls})` : ''}`);
    const plan = lines(res.rows);
    return { label, sql, plan, fullScans: flagPostgres(plan) };
  } catch (err) {
    return { label, sql, plan: `could not plan: ${(err as Error).message}`, fullScans: [], failed: true };
  } finally {
    await client.query('DEALLOCATE ALL').catch(() => undefined);
    await client.query('RESET plan_cache_mode');
  }
}

export function explainSqlite(db: SqliteDb, label: string, sql: string, params?: unknown[]): Plan {
  try {
    const stmt = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
    const values = params ?? Array<null>(sql.split('?').length - 1).fill(null);
    const rows = stmt.all(...values) as Array<{ id: number; parent: number; detail: string }>;
    const depth = new Map<number, number>([[0, 0]]);
    const text = rows.map((r) => {
      const d = (depth.get(r.parent) ?? 0) + 1;
      depth.set(r.id, d);
      return `${'  '.repeat(d - 1)}${r.detail}`;
    });
    const tables = aliases(sql);
    const fullScans: string[] = [];
    // An unfiltered page walks its index in ORDER BY's order and stops at LIMIT (a temp
    // B-tree for the LAST term only sorts ties): bounded, as PostgreSQL's Index Scan + Limit.
    const orderedPage =
      /\bLIMIT\b/i.test(sql) &&
      !/\bWHERE\b/i.test(sql) &&
      !rows.some((r) => r.detail === 'USE TEMP B-TREE FOR ORDER BY');
    for (const r of rows) {
      // "SCAN e" reads the table whole; "SCAN e USING [COVERING] INDEX i" walks a whole index.
      const m = /^SCAN (\w+)( USING (?:COVERING )?INDEX \w+)?$/.exec(r.detail);
      const table = m && (tables.get(m[1]) ?? m[1]);
      if (m?.[2] && orderedPage) continue;
      if (table && table.startsWith('mfa_') && !SMALL_TABLES.has(table))
        fullScans.push(m[2] ? `${table} (whole index${m[2].replace(/^ USING (COVERING )?INDEX/, '')})` : table);
    }
    return { label, sql, plan: text.join('\n') || '(no read: a plain insert)', fullScans: [...new Set(fullScans)] };
  } catch (err) {
    return { label, sql, plan: `could not plan: ${(err as Error).message}`, fullScans: [], failed: true };
  }
}

const NOT_ALIAS =
  /^(WHERE|ON|USING|JOIN|LEFT|RIGHT|INNER|OUTER|CROSS|ORDER|GROUP|LIMIT|SET|VALUES|RETURNING|AS|NATURAL|UNION|HAVING)$/i;

/** SQLite plans name tables by their alias: alias → table, from the statement's FROM, JOIN, UPDATE and INTO clauses. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+["`]?(\w+)["`]?(?:\s+(?:AS\s+)?["`]?(\w+)["`]?)?/gi)) {
    out.set(m[1], m[1]);
    if (m[2] && !NOT_ALIAS.test(m[2])) out.set(m[2], m[1]);
  }
  return out;
}

/** Markdown: one line per plan (index or full scan), the plans themselves in a collapsed block. */
export function plansMarkdown(title: string, plans: Plan[]): string[] {
  const md = [
    `<details><summary>${title}: ${plans.length} statements, ${countFlagged(plans)} read a table whole</summary>`,
    '',
  ];
  for (const p of plans) {
    const flag = p.failed
      ? '**could not plan (counted as flagged)**'
      : p.fullScans.length
        ? `**full scan of ${p.fullScans.join(', ')}**`
        : 'index only';
    md.push(`- ${p.label}: ${flag}`, '', '```text', p.sql, '--', p.plan, '```', '');
  }
  md.push('</details>', '');
  return md;
}

export const countFlagged = (plans: Plan[]): number => plans.filter((p) => p.failed || p.fullScans.length).length;

/** The statements the server sent for `op` (its /bench/trace), audit rows written after the response included. */
export async function traced(side: Side, op: () => Promise<void>): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 150)); // the audit rows of whatever ran before land first
  await side.server.post('/bench/trace', { on: true });
  await op();
  await new Promise((r) => setTimeout(r, 150));
  return (await side.server.post<{ queries: string[] }>('/bench/trace', { on: false })).queries;
}
