/**
 * Knobs, service URLs and the machine, shared by every benchmark.
 *
 *   MFA_BENCH_ROUNDS      interleaved A/B rounds per figure (default 3; medians are reported)
 *   MFA_BENCH_SECONDS     seconds per measured run (default 4)
 *   MFA_BENCH_CONNECTIONS autocannon connections (default 10)
 *   MFA_BENCH_SMOKE=1     CI smoke: tiny pools and runs; figures are meaningless, only crashes count
 *   MFA_BENCH_PROFILE=1   start every server under `node --cpu-prof` (profiles in bench/results/profiles)
 *   MFA_BENCH_POSTGRES_URL   our store (default postgres://postgres@127.0.0.1:5432/mfa_bench)
 *   MFA_BENCH_BA_POSTGRES_URL Better Auth's database (default .../ba_bench)
 *   MFA_BENCH_REDIS_URL      our counters (default redis://127.0.0.1:6379/8)
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..'); // dist-sample/bench/lib → repo
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
export const BA_DIR = join(REPO_ROOT, 'bench', 'better-auth');

export const SMOKE = process.env.MFA_BENCH_SMOKE === '1';
export const ROUNDS = Math.max(1, Number(process.env.MFA_BENCH_ROUNDS ?? (SMOKE ? 1 : 3)));
export const SECONDS = Math.max(0.5, Number(process.env.MFA_BENCH_SECONDS ?? (SMOKE ? 1 : 4)));
export const CONNECTIONS = Math.max(1, Number(process.env.MFA_BENCH_CONNECTIONS ?? 10));
export const PROFILE = process.env.MFA_BENCH_PROFILE === '1';

export const POSTGRES_URL = process.env.MFA_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/mfa_bench';
export const BA_POSTGRES_URL = process.env.MFA_BENCH_BA_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/ba_bench';
export const REDIS_URL = process.env.MFA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/8';

/** A database of a benchmark's own, named after MFA_BENCH_POSTGRES_URL's, so two runs (CI's and yours) never share one. */
export const benchDatabase = (suffix: string): string =>
  `${new URL(POSTGRES_URL).pathname.slice(1) || 'mfa_bench'}_${suffix}`;

/** The command that reproduces a figure, with the knobs this run used. */
export function commandFor(script: string): string {
  const knobs = [`MFA_BENCH_ROUNDS=${ROUNDS}`, `MFA_BENCH_SECONDS=${SECONDS}`];
  if (CONNECTIONS !== 10) knobs.push(`MFA_BENCH_CONNECTIONS=${CONNECTIONS}`);
  return `${knobs.join(' ')} npm run ${script}`;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

export function machine(): Record<string, string> {
  const cpu = cpus();
  const tryRun = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    os: `${process.platform} ${release()}`,
    node: process.version,
    load: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    postgres: tryRun('psql', ['-X', '-At', POSTGRES_URL.replace(/\/[^/]*$/, '/postgres'), '-c', 'show server_version']),
    redis: tryRun('redis-cli', ['-u', REDIS_URL, 'info', 'server']).match(/redis_version:(\S+)/)?.[1] ?? 'unknown',
  };
}
