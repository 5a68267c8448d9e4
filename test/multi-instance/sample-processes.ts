import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * Real sample-app processes for the two-instance harness: the Nest sample compiled to a
 * directory of this run (never the shared dist-sample/), started with `node main.js`, and
 * plain HTTP against their loopback ports.
 */
const ROOT = join(__dirname, '..', '..');

export interface SampleBuild {
  dir: string;
  mainJs: string;
  remove(): void;
}

/** tsc emits even while some library file does not type-check; only a missing main.js is fatal. */
export async function compileSample(): Promise<SampleBuild> {
  const dir = mkdtempSync(join(tmpdir(), 'mfa-multi-'));
  const tsc = require.resolve('typescript/bin/tsc');
  const output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.sample.json', '--outDir', dir], { cwd: ROOT });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', () => resolve(text));
  });
  const mainJs = join(dir, 'sample-app', 'main.js');
  if (!existsSync(mainJs)) throw new Error(`tsc emitted no sample-app/main.js into ${dir}:\n${output.slice(0, 4000)}`);
  return { dir, mainJs, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL'))); // never leave a server behind

/** One `node sample-app/main.js` on 127.0.0.1:port; restartable on the same port. */
export class SampleProcess {
  private child?: ChildProcess;
  private output: string[] = [];

  constructor(
    readonly name: string,
    private readonly mainJs: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves on the sample's "listening" line; rejects if the process exits or stays silent. */
  start(timeoutMs = 90_000): Promise<void> {
    const child = spawn(process.execPath, [this.mainJs], {
      cwd: ROOT,
      // The compiled files live outside the repository: resolve packages from its node_modules.
      env: {
        ...process.env,
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        NODE_PATH: join(ROOT, 'node_modules'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(child);
    child.on('exit', () => live.delete(child));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(`no listening line within ${timeoutMs} ms`), timeoutMs);
      const fail = (why: string) => {
        clearTimeout(timer);
        reject(new Error(`instance ${this.name} (port ${this.port}): ${why}\n${this.output.slice(-30).join('')}`));
      };
      const onData = (data: Buffer) => {
        const text = data.toString();
        this.output.push(text);
        if (this.output.length > 200) this.output.shift();
        if (text.includes('nestjs-mfa sample on http://')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code, signal) => fail(`exited (${code ?? signal}) before listening`));
    });
  }

  /** Sends the signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  recentOutput(): string {
    return this.output.slice(-30).join('');
  }
}

export interface Reply {
  instance: string;
  /** HTTP status, or 0 when the connection failed or broke (the instance was killed). */
  status: number;
  code?: string;
  retryAfter?: string;
  setCookie?: string;
  body: any;
  ms: number;
}

// A fresh connection per request: after a SIGKILL no pooled socket to the dead process lingers.
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

export function call(
  target: SampleProcess,
  method: string,
  path: string,
  { cookie, body }: { cookie?: string; body?: unknown } = {},
): Promise<Reply> {
  const started = performance.now();
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (payload)
    Object.assign(headers, {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
    });
  return new Promise((resolve) => {
    const broken = () => resolve({ instance: target.name, status: 0, body: null, ms: performance.now() - started });
    const req = http.request(`${target.url}${path}`, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('error', broken);
      res.on('end', () => {
        let parsed: any = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = text;
        }
        resolve({
          instance: target.name,
          status: res.statusCode ?? 0,
          code: parsed?.code,
          retryAfter: res.headers['retry-after'] as string | undefined,
          setCookie: res.headers['set-cookie']?.map((c) => c.split(';')[0]).join('; '),
          body: parsed,
          ms: performance.now() - started,
        });
      });
    });
    req.on('error', broken);
    req.end(payload);
  });
}

export interface Tally {
  ok: number;
  invalid: number;
  locked: number;
  /** 401 UNAUTHENTICATED: the copy arrived after the winning verification renewed the session id. */
  signedOut: number;
  other: number;
  byInstance: Record<string, Record<string, number>>;
  p50: number;
  p99: number;
}

export function tally(replies: Reply[]): Tally {
  const byInstance: Tally['byInstance'] = {};
  for (const r of replies) {
    const bucket = (byInstance[r.instance] ??= {});
    const key = r.status === 0 ? 'broken' : String(r.status);
    bucket[key] = (bucket[key] ?? 0) + 1;
  }
  const ms = replies
    .filter((r) => r.status !== 0)
    .map((r) => r.ms)
    .sort((x, y) => x - y);
  const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] : NaN);
  const ok = replies.filter((r) => r.status === 200).length;
  const invalid = replies.filter((r) => r.status === 401 && r.code === 'INVALID_CODE').length;
  const locked = replies.filter((r) => r.status === 429 && r.code === 'MFA_LOCKED' && Number(r.retryAfter) > 0).length;
  const signedOut = replies.filter((r) => r.status === 401 && r.code === 'UNAUTHENTICATED').length;
  return {
    ok,
    invalid,
    locked,
    signedOut,
    other: replies.length - ok - invalid - locked - signedOut,
    byInstance,
    p50: pct(0.5),
    p99: pct(0.99),
  };
}

/** One compact line per proof: outcome counts, per instance, latency and wall time. */
export function report(label: string, replies: Reply[], wallMs: number, extra = ''): Tally {
  const t = tally(replies);
  const per = Object.entries(t.byInstance)
    .map(([name, counts]) => {
      const answered = replies.filter((r) => r.instance === name && r.status !== 0).map((r) => r.ms);
      const first = answered.length ? ` first ${Math.min(...answered).toFixed(0)} ms` : '';
      return `${name}{${Object.entries(counts)
        .map(([s, n]) => `${s}:${n}`)
        .join(' ')}${first}}`;
    })
    .join(' ');
  console.log(
    `[two instances] ${label}: n=${replies.length} 200=${t.ok} 401=${t.invalid} 429=${t.locked} signed-out=${t.signedOut} other=${t.other} | ${per} | ` +
      `p50 ${t.p50.toFixed(0)} ms p99 ${t.p99.toFixed(0)} ms wall ${(wallMs / 1000).toFixed(2)} s${extra ? ` | ${extra}` : ''}`,
  );
  return t;
}
