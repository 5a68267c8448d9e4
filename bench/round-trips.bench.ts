/**
 * P4/P5, store round trips per operation: SQL statements counted by a TypeORM logger on the
 * store's DataSource, Redis commands counted by wrapping the counters' ioredis client
 * (bench/servers/ours-express.server.ts). One operation at a time, nothing else running.
 *   npm run bench:round-trips
 * To add an operation, add an entry to OPERATIONS (bench/lib/round-trip-operations.ts).
 */
import { fmt, POSTGRES_URL } from './lib/bench-env';
import { Report, runBench } from './lib/report';
import { OPERATIONS, Trace } from './lib/round-trip-operations';
import { resetPostgres, resetRedis, services } from './lib/services';
import { startOurs } from './lib/sides';

function shortSql(sql: string): string {
  const event = sql.match(/ \[[\w.]+\]$/)?.[0] ?? '';
  const one = (text: string) => {
    const verb = text.trim().split(' ')[0];
    const table = text.match(/(?:FROM|UPDATE|INTO)\s+"?(\w+)"?/i)?.[1] ?? '';
    return verb === 'SELECT' ? `SELECT … FROM ${table}` : `${verb} ${table}`;
  };
  if (sql.startsWith('BEGIN IMMEDIATE; '))
    return `\`one transaction (${sql.split('; ').slice(1, -1).map(one).join(', ')})\`${event}`;
  if (sql.startsWith('WITH ')) {
    const inner = [...sql.matchAll(/ AS \((UPDATE|INSERT INTO|DELETE FROM) "?(\w+)"?/g)].map(
      (m) => `${m[1].split(' ')[0]} ${m[2]}`,
    );
    return `\`one statement: WITH (${inner.join(', ')})\`${event}`;
  }
  return `\`${one(sql)}\`${event}`;
}

function summarize(traces: Trace[]) {
  const avg = (f: (t: Trace) => number) => traces.reduce((a, t) => a + f(t), 0) / traces.length;
  // The usual statements are those of the most common count; a trace with more shows what else ran then.
  const size = (t: Trace) => t.queries.length + t.redis.length;
  const counts = new Map<number, number>();
  for (const t of traces) counts.set(size(t), (counts.get(size(t)) ?? 0) + 1);
  const usual = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const example = traces.find((t) => size(t) === usual)!;
  const extra = traces
    .filter((t) => size(t) > usual)
    .flatMap((t) => t.queries.filter((q) => !example.queries.includes(q)));
  return {
    sql: avg((t) => t.queries.length),
    audit: avg((t) => t.queries.filter((q) => /mfa_audit_events/.test(q)).length),
    redis: avg((t) => t.redis.length),
    example,
    extra,
  };
}

runBench(async () => {
  const report = new Report('P4-P5', 'store round trips per operation', 'bench:round-trips');
  report.text(
    'Counted, not timed: every round trip to the database (TypeORM logger on its DataSource; BEGIN and COMMIT count) and every command ' +
      'the Redis counters send (the ioredis client wrapped), one operation at a time, averaged over several. A verification commits as one ' +
      'PostgreSQL statement (data-modifying CTEs) or, on SQLite, as one transaction run in one synchronous call with no await inside: each ' +
      "counts as one, and the statements inside are listed below. Its audit rows (`audit: 'database'`) are written inside that commit, " +
      'before the answer; other audit rows are written after the response and counted with the operation. The 5-second policy refresh is not counted. ' +
      'Goals are on SQL round trips.',
  );
  report.text();
  const svc = await services();
  const deployments: Array<{ name: string; db: 'sqlite' | 'postgres'; env: Record<string, string>; skip?: string }> = [
    { name: 'embedded default (SQLite + in-process counters, session cache 60 s)', db: 'sqlite', env: {} },
    {
      name: 'PostgreSQL + Redis counters (session cache 60 s, kept exact across instances by Redis pub/sub)',
      db: 'postgres',
      env: { MFA_BENCH_COUNTERS: 'redis' },
      skip: (svc.postgres ?? svc.redis) || undefined,
    },
  ];
  const details: string[] = [];
  const rows: Array<Array<string | number>> = [];
  for (const d of deployments) {
    if (d.skip) {
      report.skip(`P4/P5 on ${d.name}`, d.skip);
      continue;
    }
    if (d.db === 'postgres') {
      await resetPostgres(POSTGRES_URL);
      await resetRedis();
    }
    const side = await startOurs(`p45-${d.db}`, d.db, d.env);
    try {
      for (const op of OPERATIONS) {
        if (!op.measure) {
          rows.push([d.name, op.label, 'not yet available', '', '', '']);
          continue;
        }
        const s = summarize(await op.measure(side));
        const met = op.goal === undefined ? '' : s.sql <= op.goal ? `≤ ${op.goal}: met` : `≤ ${op.goal}: missed`;
        rows.push([d.name, op.label, fmt(s.sql, 1), fmt(s.audit, 1), fmt(s.redis, 1), met]);
        if (op.goal !== undefined)
          report.figure({
            id: op.goal === 1 ? 'P4' : 'P5',
            label: `${op.label}, ${d.name}: SQL statements (Redis commands: ${fmt(s.redis, 1)})`,
            value: fmt(s.sql, 1),
            goal: `≤ ${op.goal}`,
            met: s.sql <= op.goal,
          });
        report.log(`${d.db} ${op.label}: ${fmt(s.sql, 1)} SQL, ${fmt(s.redis, 1)} Redis`);
        if (s.example.queries.length || s.example.redis.length) {
          const extra = s.extra.length ? ` (one of the runs also carried: ${s.extra.map(shortSql).join('; ')})` : '';
          details.push(
            `- ${op.label}, ${d.db}: ${[...s.example.queries.map(shortSql), ...s.example.redis.map((c) => `Redis \`${c}\``)].join('; ')}${extra}`,
          );
        }
      }
    } finally {
      await side.stop();
    }
  }
  report.table(['deployment', 'operation', 'SQL statements', 'of which audit', 'Redis commands', 'goal (SQL)'], rows);
  for (const op of OPERATIONS.filter((o) => !o.measure)) {
    report.text(`${op.label}: ${op.unavailable}.`);
    report.text();
    report.figure({ id: 'P5', label: op.label, value: 'not yet available' });
  }
  report.text('The statements of one operation of each kind:');
  report.text();
  for (const line of details) report.text(line);
  report.text();
  report.save();
});
