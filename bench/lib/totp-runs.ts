/**
 * TOTP challenge runs on either side (P2, P2 passkey, P3): the measured verify run, the
 * crosscheck of pre-created against real sign-in challenges, and the replayed-code demo.
 */
import { fmt, SMOKE } from './bench-env';
import { pool, RunResult, totp, wrongTotp } from './load';
import { runSpecs, settle } from './compare';
import { Report } from './report';
import { postgresBackendCpu } from './services';
import { PoolEntry, Side } from './sides';

export const PASSWORD = 'correct horse battery staple';
const CROSSCHECK = Number(process.env.MFA_BENCH_CROSSCHECK ?? (SMOKE ? 10 : 300));

/** One request per pool entry, codes computed when the run starts (all inside one 30 s step's ±1 window). */
export function verifyRun(side: Side, entries: PoolEntry[], valid: boolean, label: string): Promise<RunResult> {
  const now = Date.now();
  return runSpecs(
    side,
    label,
    entries.map((e) => side.verify(e, valid ? totp(e.key, now) : wrongTotp(e.key, now))),
    valid ? side.isVerified : side.isInvalidCode,
  );
}

export type MeasuredRun = RunResult & { dbCpuPerRequest: number };

/**
 * A measured verify run once the server has settled after seeding. With `dbUrl` (PostgreSQL) it also
 * measures the CPU of the PostgreSQL backends serving that side's database, in µs per request
 * (sampled until a settle after the run, so writes finishing after the answers count too); else 0.
 */
export async function measuredVerify(
  side: Side,
  entries: PoolEntry[],
  valid: boolean,
  label: string,
  dbUrl?: string,
): Promise<MeasuredRun> {
  await settle();
  const db = dbUrl ? postgresBackendCpu(dbUrl) : undefined;
  const r = await verifyRun(side, entries, valid, label);
  if (!db) return { ...r, dbCpuPerRequest: 0 };
  await settle();
  return { ...r, dbCpuPerRequest: (await db.stop()) / r.total };
}

/** Two real sign-ins of one user, both challenges answered with the same code, seconds apart: [first, second] status. */
async function replayDemo(side: Side): Promise<[number, number]> {
  const [user] = await side.seed({ users: 1, sessionsPerUser: 0, password: PASSWORD });
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

/** Request-weighted mean of several runs' per-request figures. */
function combine(rs: RunResult[]): RunResult {
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
}

/** Real sign-ins against pre-created challenges: all set up first, then measured in halves A, B, B, A. */
async function crosscheck(side: Side): Promise<{ real: RunResult; pre: RunResult; halves: number[] }> {
  const users = await side.seed({ users: CROSSCHECK, sessionsPerUser: 0, password: PASSWORD });
  const real = await pool(users.length, 8, (i) => side.signIn(users[i], PASSWORD)); // not measured
  const pre = await side.seed({ users: CROSSCHECK });
  await settle();
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
    const r = await verifyRun(side, entries, true, `crosscheck (${kind})`);
    sum[kind].push(r);
    halves.push(r.cpuPerRequest);
  }
  return { real: combine(sum.real), pre: combine(sum.pre), halves };
}

/** The crosscheck and the replay demo for both sides, as tables; returns the replay figure's value. */
export async function crosscheckAndReplay(report: Report, sides: [Side, Side]): Promise<string> {
  const cross = new Map<Side, Awaited<ReturnType<typeof crosscheck>>>();
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
  const [ours, theirs] = sides.map((s) => replay.get(s)![1] === 200);
  return `${ours ? 'ACCEPTED' : 'refused'} / ${theirs ? 'accepted' : 'refused'}`;
}
