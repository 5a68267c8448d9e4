/**
 * `npm run bench`: runs every benchmark (each in its own process, one after another) and writes
 * docs/benchmarks.md: the figures against their goals, the machine, the date
 * and the command that reproduces each. `npm run bench:smoke` (`--smoke`) runs them all for about
 * a second each (MFA_BENCH_SMOKE=1) and writes bench/results/BENCHMARKS.smoke.md instead: it
 * fails only when a benchmark crashes, never on a number. A bench still running after
 * MFA_BENCH_TIMEOUT_MINUTES (45) is killed with everything it started and reported as crashed.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { BA_DIR, machine, REPO_ROOT, RESULTS_DIR } from './lib/bench-env';
import type { SavedReport } from './lib/report';
import { benchmarksMarkdown } from './lib/report-markdown';

const SMOKE = process.argv.includes('--smoke');
const BENCHES = [
  // The headline goals first, the long ones last (P8 seeds a million users, P9 runs ten
  // minutes): a run cut short keeps what matters most, and the report says what it lacks.
  { id: 'P2', file: 'totp-challenge.bench.js', script: 'bench:totp' },
  { id: 'P3', file: 'verify-floor.bench.js', script: 'bench:floor' },
  { id: 'P4-P5', file: 'round-trips.bench.js', script: 'bench:round-trips' },
  { id: 'P1', file: 'guard-overhead.bench.js', script: 'bench:guard' },
  { id: 'P2-passkey', file: 'passkey-challenge.bench.js', script: 'bench:passkey' },
  { id: 'P6', file: 'two-instances.bench.js', script: 'bench:instances' },
  { id: 'P7', file: 'lockout-overshoot.bench.js', script: 'bench:lockout' },
  { id: 'P10', file: 'failover.bench.js', script: 'bench:failover' },
  { id: 'P8', file: 'growth.bench.js', script: 'bench:growth' },
  { id: 'P9', file: 'soak.bench.js', script: 'bench:soak' },
];

function installBetterAuth(): void {
  if (existsSync(join(BA_DIR, 'node_modules', 'better-auth', 'package.json'))) return;
  console.log('== installing the Better Auth bench app (npm ci in bench/better-auth)');
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BA_DIR, stdio: 'inherit' });
  } catch {
    console.log('   npm ci in bench/better-auth failed: the Better Auth comparisons will be skipped');
  }
}

/** A bench still running after this long is killed and reported as crashed (MFA_BENCH_TIMEOUT_MINUTES). */
const TIMEOUT_MS = Number(process.env.MFA_BENCH_TIMEOUT_MINUTES ?? 45) * 60_000;

let current: ChildProcess | undefined;

/**
 * Each bench runs in a process group of its own, with the servers and redis-server it starts:
 * a signal to the group reaches them all (a bench killed by a signal runs no exit handlers).
 */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal); // the group outlives its leader while any member lives
  } catch {
    // no such group: all of it has exited
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (current) killGroup(current, signal);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });

/** The bench's exit code, or why it did not exit by itself. */
function runOne(file: string, env: NodeJS.ProcessEnv): Promise<string | number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, file)], { stdio: 'inherit', env, detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 10_000).unref();
    }, TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      killGroup(child, 'SIGKILL'); // anything of the bench's still running: a crashed bench leaves no servers
      if (timedOut) resolve(`a timeout: killed after ${TIMEOUT_MS / 60_000} min`);
      else resolve(code ?? (signal ? `signal ${signal}` : 0));
    });
  });
}

async function main(): Promise<void> {
  const started = new Date();
  const env = { ...process.env, ...(SMOKE ? { MFA_BENCH_SMOKE: '1' } : {}) };
  const host = machine();
  installBetterAuth();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const suffix = SMOKE ? '.smoke' : '';
  const crashed: string[] = [];
  const reports: SavedReport[] = [];
  const machineLoad: Record<string, [number, number]> = {};
  const write = (pending: string[]) => {
    const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
    const out = SMOKE ? join(RESULTS_DIR, 'BENCHMARKS.smoke.md') : join(REPO_ROOT, 'docs', 'benchmarks.md');
    writeFileSync(
      out,
      benchmarksMarkdown({ started, minutes, smoke: SMOKE, host, reports, crashed, pending, machineLoad }),
    );
    return { out, minutes };
  };
  // Written after every bench, so a run stopped early still leaves what it measured, said as such.
  for (const [i, bench] of BENCHES.entries()) {
    const resultFile = join(RESULTS_DIR, `${bench.id}${suffix}.json`);
    rmSync(resultFile, { force: true });
    // The 1-min load average while it ran: a number measured beside other work says so.
    const loads = [loadavg()[0]];
    const sampler = setInterval(() => loads.push(loadavg()[0]), 10_000);
    const code = await runOne(bench.file, env);
    clearInterval(sampler);
    loads.push(loadavg()[0]);
    machineLoad[bench.id] = [Math.min(...loads), Math.max(...loads)];
    if (code !== 0 || !existsSync(resultFile))
      crashed.push(`${bench.id} (npm run ${bench.script}) exited with ${code}`);
    else reports.push(JSON.parse(readFileSync(resultFile, 'utf8')) as SavedReport);
    write(BENCHES.slice(i + 1).map((b) => b.id));
  }
  const { out, minutes } = write([]);
  console.log(`\nwrote ${out} (${minutes} min)`);
  if (crashed.length) {
    console.error(`crashed:\n  ${crashed.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
