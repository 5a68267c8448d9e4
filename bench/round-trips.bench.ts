/**
 * P4/P5, store round trips per operation: SQL statements counted by a TypeORM logger on the
 * store's DataSource, Redis commands counted by wrapping the counters' ioredis client
 * (bench/servers/ours-express.server.ts). One operation at a time, nothing else running.
 *   npm run bench:round-trips
 * To add an operation (e.g. SMS send once libs/ ships it), add an entry to OPERATIONS.
 */
import { DEFAULT_TOTP_PROFILE, fromBase32, TotpFactor } from '../libs/core/src';
import { fmt, POSTGRES_URL, SMOKE } from './lib/bench-env';
import { cookieFrom, totp, wrongTotp } from './lib/load';
import { Report, runBench } from './lib/report';
import { resetPostgres, resetRedis, services } from './lib/services';
import { Side, startOurs } from './lib/sides';

interface Trace {
  queries: string[];
  redis: string[];
}

interface Operation {
  label: string;
  /** The goal on SQL statements per operation, if the issue sets one. */
  goal?: number;
  /** Runs the operation `times` times inside a trace and returns the statements of each. */
  measure?: (side: Side) => Promise<Trace[]>;
  unavailable?: string;
}

const json = { 'content-type': 'application/json' };
const isBackground = (sql: string) => /mfa_policy_/.test(sql); // the 5-second policy refresh, not the operation

async function traced(side: Side, op: () => Promise<void>): Promise<Trace> {
  await new Promise((r) => setTimeout(r, 150)); // lets the audit rows of whatever ran before land first
  await side.server.post('/bench/trace', { on: true });
  await op();
  await new Promise((r) => setTimeout(r, 150)); // audit rows are written after the response
  const t = await side.server.post<Trace>('/bench/trace', { on: false });
  return { queries: t.queries.filter((q) => !isBackground(q)), redis: t.redis };
}

async function expectStatus(res: Response, status: number, what: string): Promise<any> {
  const body = await res.json();
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function verifyWith(side: Side, valid: boolean, times: number): Promise<Trace[]> {
  const entries = await side.seed({ users: times });
  const out: Trace[] = [];
  for (const e of entries) {
    const spec = side.verify(e, valid ? totp(e.key, Date.now()) : wrongTotp(e.key, Date.now()));
    out.push(
      await traced(side, async () => {
        await expectStatus(
          await fetch(side.server.base + spec.path, { method: 'POST', headers: spec.headers, body: spec.body }),
          valid ? 200 : 401,
          'verify',
        );
      }),
    );
  }
  return out;
}

const OPERATIONS: Operation[] = [
  {
    label: 'satisfied guarded request',
    goal: 1,
    async measure(side) {
      const [e] = await side.seed({ users: 1 });
      const spec = side.verify(e, totp(e.key, Date.now()));
      const verified = await fetch(side.server.base + spec.path, {
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
      });
      // Our verify renews the session id (ASVS 7.2.4); Better Auth keeps its cookie.
      const cookie = verified.headers.getSetCookie().some((c) => c.startsWith('connect.sid='))
        ? cookieFrom(verified.headers.getSetCookie(), 'connect.sid')
        : e.cookie;
      await expectStatus(verified, 200, 'verify');
      const get = async () =>
        void (await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          200,
          'guarded',
        ));
      await get(); // warms the policy and, where it is on, the session cache
      const out: Trace[] = [];
      for (let i = 0; i < (SMOKE ? 3 : 10); i++) out.push(await traced(side, get));
      return out;
    },
  },
  { label: 'TOTP verify, right code', goal: 3, measure: (side) => verifyWith(side, true, SMOKE ? 2 : 5) },
  { label: 'TOTP verify, wrong code', measure: (side) => verifyWith(side, false, SMOKE ? 2 : 5) },
  {
    label: 'SMS send (a challenge code, to the dev outbox)',
    async measure(side) {
      // A verified session binds a phone over HTTP (the code comes from the outbox); other sessions then ask for codes.
      const seeded = await side.server.post<{ users: Array<{ sessions: Array<{ cookie: string }> }> }>('/bench/seed', {
        users: 1,
        sessionsPerUser: SMOKE ? 2 : 4,
        enroll: false,
        challenge: false,
      });
      const [first, ...others] = seeded.users[0].sessions.map((s) => s.cookie);
      const post = (path: string, cookie: string, body: unknown) =>
        fetch(side.server.base + path, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(body) });
      const start = await expectStatus(
        await post('/mfa/sms/enrollments', first, { phone: '+905321234512' }),
        201,
        'bind phone',
      );
      const outbox = (await (await fetch(`${side.server.base}/bench/outbox`)).json()) as { last: { text: string } };
      const code = /\d{6}/.exec(outbox.last.text)![0];
      await expectStatus(
        await post(`/mfa/sms/enrollments/${start.enrollmentId}/confirm`, first, { code }),
        200,
        'confirm phone',
      );
      const out: Trace[] = [];
      for (const cookie of others) {
        const challenge = await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          401,
          'guarded',
        );
        out.push(
          await traced(
            side,
            async () =>
              void (await expectStatus(
                await post(`/mfa/challenges/${challenge.challenge.id}/send`, cookie, { method: 'sms' }),
                200,
                'send',
              )),
          ),
        );
      }
      return out;
    },
  },
  {
    label: 'backup-code redemption',
    async measure(side) {
      // A real enrollment over HTTP (the confirm returns the backup codes), then a second session redeems one.
      const seeded = await side.server.post<{ users: Array<{ sessions: Array<{ cookie: string }> }> }>('/bench/seed', {
        users: 1,
        sessionsPerUser: SMOKE ? 2 : 4,
        enroll: false,
        challenge: false,
      });
      const [first, ...others] = seeded.users[0].sessions.map((s) => s.cookie);
      const start = await expectStatus(
        await fetch(`${side.server.base}/mfa/totp/enrollments`, {
          method: 'POST',
          headers: { ...json, cookie: first },
          body: '{}',
        }),
        201,
        'enroll',
      );
      const code = new TotpFactor().generate(fromBase32(start.secret), DEFAULT_TOTP_PROFILE, Date.now());
      const confirm = await expectStatus(
        await fetch(`${side.server.base}/mfa/totp/enrollments/${start.enrollmentId}/confirm`, {
          method: 'POST',
          headers: { ...json, cookie: first },
          body: JSON.stringify({ code }),
        }),
        200,
        'confirm',
      );
      const out: Trace[] = [];
      for (const [i, cookie] of others.entries()) {
        const challenge = await expectStatus(
          await fetch(`${side.server.base}/bench/guarded`, { headers: { cookie } }),
          401,
          'guarded',
        );
        out.push(
          await traced(side, async () => {
            const res = await fetch(`${side.server.base}/mfa/challenges/${challenge.challenge.id}/verify`, {
              method: 'POST',
              headers: { ...json, cookie },
              body: JSON.stringify({ method: 'backup_code', code: confirm.backupCodes[i] }),
            });
            await expectStatus(res, 200, 'backup code');
          }),
        );
      }
      return out;
    },
  },
];

/**
 * `SELECT … FROM mfa_challenges`, `UPDATE mfa_enrollments`, `INSERT mfa_audit_events [challenge.verified]`;
 * a SQLite transaction run as one synchronous call, or a PostgreSQL statement of CTEs, lists what runs inside.
 */
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
