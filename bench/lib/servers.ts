/** Starts the bench servers as child processes and reads their CPU through an internal endpoint. */
import { ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BA_DIR, PROFILE, RESULTS_DIR } from './bench-env';

export interface BenchServer {
  name: string;
  base: string;
  child: ChildProcess;
  /** Process CPU (user + system, µs) plus the store queries and Redis commands it has counted. */
  cpu(): Promise<{ micros: number; queries: number; redis: number }>;
  post<T = any>(path: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

const live = new Set<BenchServer>();
process.on('exit', () => live.forEach((s) => s.child.kill('SIGKILL')));

export const OURS_SERVER = join(__dirname, '..', 'servers', 'ours-express.server.js');
export const NEST_SERVER = join(__dirname, '..', 'guard-bench.server.js');
export const BA_SERVER = join(BA_DIR, 'server.mjs');

export function betterAuthInstalled(): boolean {
  return existsSync(join(BA_DIR, 'node_modules', 'better-auth', 'package.json'));
}

export const BA_MISSING =
  'Better Auth bench app not installed: run `npm ci --prefix bench/better-auth` (npm run bench does it for you)';

/** Forks a server module; it answers `{ port }` over IPC once it listens on 127.0.0.1. */
export async function startServer(
  name: string,
  module: string,
  env: Record<string, string | undefined>,
  /** Extra node flags, e.g. P9's --expose-gc. */
  nodeArgs: string[] = [],
): Promise<BenchServer> {
  const execArgv: string[] = [...nodeArgs];
  if (PROFILE) {
    const dir = join(RESULTS_DIR, 'profiles');
    mkdirSync(dir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      `--cpu-prof-name=${name.replace(/[^\w.-]+/g, '_')}-${Date.now()}.cpuprofile`,
    );
  }
  const child = fork(module, [], {
    cwd: module.endsWith('.mjs') ? BA_DIR : process.cwd(),
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let error = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no answer within 120 s`)), 120_000);
    child.once('message', (m: { port?: number; error?: string }) => {
      clearTimeout(timer);
      if (m.port) resolve(m.port);
      else error = m.error ?? 'failed to start';
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} while starting${error ? `: ${error}` : ''}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const server: BenchServer = {
    name,
    base,
    child,
    async cpu() {
      const res = await fetch(`${base}/bench/cpu`);
      return (await res.json()) as { micros: number; queries: number; redis: number };
    },
    async post(path, body) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${name} ${path}: ${res.status} ${text.slice(0, 500)}`);
      return JSON.parse(text);
    },
    async stop() {
      live.delete(server);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('exit'); // a clean exit, so --cpu-prof writes its profile
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  live.add(server);
  return server;
}
