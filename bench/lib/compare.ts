/**
 * What the challenge benches (P2 TOTP, P2 passkey, P3) share: round counts, pool sizing,
 * exactly-one-request-per-spec runs, interleaving, per-round ratios and their spread.
 */
import { CONNECTIONS, fmt, median, ROUNDS, SECONDS, SMOKE } from './bench-env';
import { assertClean, measure, RequestSpec, RunResult } from './load';
import { Report } from './report';
import { services } from './services';
import { DbKind, Side } from './sides';

/** Issue #18 asks for 5 interleaved rounds; an explicit MFA_BENCH_ROUNDS (or a smoke run) still wins. */
export const P2_ROUNDS = SMOKE || process.env.MFA_BENCH_ROUNDS !== undefined ? ROUNDS : Math.max(ROUNDS, 5);

export const kindTitle = (kind: DbKind): string =>
  kind === 'sqlite' ? 'SQLite (WAL), in-process counters' : 'PostgreSQL, in-process counters';

/** Pool sizes that make a run at `rps` last about MFA_BENCH_SECONDS, in whole connection batches. */
export function poolSize(rps: number, floor = SMOKE ? 40 : 200): number {
  const batches = Math.max(Math.ceil(floor / CONNECTIONS), Math.round((rps * SECONDS) / CONNECTIONS));
  return Math.min(Math.floor(20_000 / CONNECTIONS), batches) * CONNECTIONS;
}

/** Exactly one request per spec, each answered as `expect` says, or the run throws: a broken bench, not a slow one. */
export async function runSpecs(
  side: Side,
  label: string,
  specs: RequestSpec[],
  expect: (status: number, body: string) => boolean,
): Promise<RunResult> {
  let i = 0;
  const r = await measure(side.server, { request: () => specs[i++ % specs.length], amount: specs.length, expect });
  assertClean(`${side.label} ${label}`, r);
  if (r.total !== specs.length) throw new Error(`${label}: ${r.total} requests sent for ${specs.length} challenges`);
  return r;
}

/** The app's bare route: absolute CPU moves with the machine's load, the ratios to it much less. */
export const helloRun = (side: Side): Promise<RunResult> =>
  measure(side.server, { request: { path: '/bench/hello' }, seconds: Math.min(SECONDS, 2) });

/** Lets seeding's garbage and audit writes settle, so the measured run does not pay for them. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 500));

/** A/B, then B/A: neither side always runs on the warmer machine. */
export const interleave = <T>(round: number, pair: [T, T]): [T, T] => (round % 2 ? [pair[1], pair[0]] : pair);

/** Per-round ratios a[i] ÷ b[i] (each pair measured seconds apart), their median and range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  rounds: number[];
}

export function ratios(a: number[], b: number[]): Spread {
  const rounds = a.map((x, i) => x / b[i]);
  return { median: median(rounds), min: Math.min(...rounds), max: Math.max(...rounds), rounds };
}

export const range = (s: Spread, digits = 2): string =>
  s.rounds.length > 1 ? `${fmt(s.min, digits)}–${fmt(s.max, digits)}` : 'one round';

/** "8.31 (7.90–8.60 over 5 rounds)": the headline with its spread, so a summary line shows both. */
export const withRange = (s: Spread, digits = 2): string =>
  `${fmt(s.median, digits)} (${range(s, digits)}${s.rounds.length > 1 ? ` over ${s.rounds.length} rounds` : ''})`;

export const perRound = (s: Spread, digits = 2): string => s.rounds.map((x) => fmt(x, digits)).join(', ');

/** SQLite, then PostgreSQL when it is reachable (else the report says why not). */
export async function eachKind(report: Report, what: string, bench: (kind: DbKind) => Promise<void>): Promise<void> {
  await bench('sqlite');
  const svc = await services();
  if (svc.postgres) report.skip(`${what} on PostgreSQL`, svc.postgres);
  else await bench('postgres');
}
