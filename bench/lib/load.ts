/** autocannon runs with server CPU read before and after, pool-driven requests, a TOTP generator. */
import autocannon from 'autocannon';
import { createHmac } from 'node:crypto';
import { BenchServer } from './servers';
import { CONNECTIONS } from './bench-env';

export interface RequestSpec {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** A fixed request, or one built per request (each pool entry is used exactly once). */
  request: RequestSpec | (() => RequestSpec);
  /** Run for this long … */
  seconds?: number;
  /** … or send exactly this many requests. */
  amount?: number;
  connections?: number;
  /** What every response must look like; anything else is counted as a mismatch. */
  expect?: (status: number, body: string) => boolean;
}

export interface LoadResult {
  total: number;
  seconds: number;
  rps: number;
  statuses: Record<string, number>;
  mismatches: number;
  errors: number;
}

export interface RunResult extends LoadResult {
  cpuPerRequest: number;
  queriesPerRequest: number;
  redisPerRequest: number;
}

export async function load(base: string, opts: LoadOptions): Promise<LoadResult> {
  // A fixed amount never sends more requests than asked: fewer connections if need be.
  const connections = Math.max(1, Math.min(opts.connections ?? CONNECTIONS, opts.amount ?? Infinity));
  const statuses: Record<string, number> = {};
  let mismatches = 0;
  let last = 0;
  const onResponse = (status: number, body: string) => {
    last = performance.now();
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (opts.expect && !opts.expect(status, body)) mismatches++;
  };
  const fixed = typeof opts.request === 'function' ? undefined : opts.request;
  const next = typeof opts.request === 'function' ? opts.request : undefined;
  const request = {
    method: fixed?.method ?? 'GET',
    path: fixed?.path ?? '/',
    headers: fixed?.headers,
    body: fixed?.body,
    onResponse,
    ...(next
      ? {
          setupRequest: (req: Record<string, unknown>) => {
            const spec = next();
            return {
              ...req,
              method: spec.method ?? 'POST',
              path: spec.path,
              headers: spec.headers ?? {},
              body: spec.body,
            };
          },
        }
      : {}),
  };
  const amount =
    opts.amount === undefined ? undefined : Math.max(connections, Math.floor(opts.amount / connections) * connections);
  const started = performance.now();
  const result = await autocannon({
    url: base,
    connections,
    ...(amount === undefined ? { duration: opts.seconds ?? 1 } : { amount, duration: 600 }),
    requests: [request as never],
  });
  // autocannon ends on its 1 s tick; the last response marks the real end of a fixed-amount run.
  const seconds = ((last || performance.now()) - started) / 1000;
  const total = result.requests.total;
  return { total, seconds, rps: total / seconds, statuses, mismatches, errors: result.errors + result.timeouts };
}

/** One measured run: server CPU, store queries and Redis commands per request. */
export async function measure(server: BenchServer, opts: LoadOptions): Promise<RunResult> {
  const before = await server.cpu();
  const result = await load(server.base, opts);
  const after = await server.cpu();
  const n = result.total || 1;
  return {
    ...result,
    cpuPerRequest: (after.micros - before.micros) / n,
    queriesPerRequest: (after.queries - before.queries) / n,
    redisPerRequest: (after.redis - before.redis) / n,
  };
}

/** Throws when a run saw anything but the expected answers: a broken benchmark, not a slow one. */
export function assertClean(label: string, r: LoadResult): void {
  if (r.mismatches || r.errors || r.total === 0) {
    throw new Error(
      `${label}: ${r.mismatches} unexpected answers, ${r.errors} errors/timeouts of ${r.total} (statuses ${JSON.stringify(r.statuses)})`,
    );
  }
}

/** RFC 6238 (SHA-1, 6 digits, 30 s), written out here so both libraries are driven by the same client. */
export function totp(key: Buffer, nowMs: number, stepOffset = 0): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 30_000) + stepOffset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

/** A code that is wrong for every step within the ±1 tolerance of `nowMs`. */
export function wrongTotp(key: Buffer, nowMs: number): string {
  const taken = new Set([-2, -1, 0, 1, 2].map((o) => totp(key, nowMs, o)));
  let n = (Number(totp(key, nowMs)) + 500_000) % 1_000_000;
  while (taken.has(String(n).padStart(6, '0'))) n = (n + 1) % 1_000_000;
  return String(n).padStart(6, '0');
}

/** Runs `count` async jobs, at most `concurrency` at once. */
export async function pool<T>(count: number, concurrency: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await job(i);
      }
    }),
  );
  return out;
}

export function cookieFrom(setCookie: string[] | null | undefined, name: string): string {
  const found = (setCookie ?? [])
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookie)}`);
  return found;
}
