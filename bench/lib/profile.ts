/**
 * CPU profiles of a bench server over one stretch of a run (P3: where a verify's CPU goes), and
 * the grouping of their samples by where the code lives. Shared with bench/profile-summary.ts.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR } from './bench-env';
import { BenchServer } from './servers';

export interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Env for startServer: loads the in-process profiler, idle until profiled() asks. */
export function profilerEnv(): Record<string, string> {
  const preload = join(__dirname, 'profiler.preload.js');
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${preload}"`.trim() };
}

function ask(server: BenchServer, msg: object, answer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${server.name}: no ${answer} from the profiler`)), 60_000);
    const onMessage = (m: { benchProfile?: string; error?: string }) => {
      if (m?.benchProfile === answer) done();
      else if (m?.benchProfile === 'error') done(new Error(`${server.name} profiler: ${m.error}`));
    };
    const done = (err?: Error) => {
      clearTimeout(timer);
      server.child.off('message', onMessage);
      if (err) reject(err);
      else resolve();
    };
    server.child.on('message', onMessage);
    server.child.send(msg);
  });
}

/** Runs `run` with the server's profiler on (sampling every `intervalUs`); the profile lands in bench/results/profiles. */
export async function profiled<T>(
  server: BenchServer,
  name: string,
  run: () => Promise<T>,
  intervalUs = 200,
): Promise<{ result: T; profile: CpuProfile; file: string }> {
  const dir = join(RESULTS_DIR, 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${Date.now()}.cpuprofile`);
  await ask(server, { benchProfile: 'start', intervalUs }, 'started');
  const result = await run();
  await ask(server, { benchProfile: 'stop', file }, 'stopped');
  return { result, profile: JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file };
}

/** The package (or repo-relative file, or node: module) a frame's code comes from. */
export function where(url: string, withFile = false): string {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return withFile ? `${pkg}/${rest.slice(pkg.split('/').length).join('/')}` : pkg;
  }
  if (url.startsWith('node:')) return url;
  const dist = url.indexOf('dist-sample/');
  return dist >= 0 ? url.slice(dist + 'dist-sample/'.length) : url.replace(/^file:\/\//, '');
}

// express's own dependency tree, plus the session and sign-in middleware the bench app mounts.
const HTTP_STACK = new Set(
  (
    'express express-session passport passport-local passport-strategy router body-parser cookie cookie-signature ' +
    'on-finished on-headers finalhandler send type-is content-type raw-body iconv-lite qs path-to-regexp depd ' +
    'parseurl accepts negotiator mime-types mime-db statuses http-errors vary encodeurl escape-html etag fresh ' +
    'proxy-addr forwarded ipaddr.js media-typer utils-merge pause uid-safe random-bytes safe-buffer debug ms ' +
    'merge-descriptors setprototypeof content-disposition range-parser destroy unpipe bytes ee-first inherits ' +
    'toidentifier safer-buffer side-channel side-channel-list side-channel-map side-channel-weakmap call-bound ' +
    'call-bind-apply-helpers get-intrinsic object-inspect es-errors math-intrinsics dunder-proto es-object-atoms ' +
    'gopd has-symbols hasown function-bind get-proto is-promise once wrappy serve-static'
  ).split(' '),
);
const DRIVERS = new Set([
  'better-sqlite3',
  'sqlite3',
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'postgres-array',
  'mysql2',
]);
const SQLITE_NATIVE = /^(run|get|all|iterate|prepare|exec|pragma|raw|bind|Statement)$/;
const CRYPTO = new Set([
  '@otplib/core',
  '@otplib/hotp',
  '@otplib/totp',
  '@otplib/plugin-crypto-node',
  '@simplewebauthn/server',
]);

export const CATEGORIES = {
  lib: 'nestjs-mfa (libs/, src/)',
  app: 'the bench app (bench/servers)',
  typeorm: 'TypeORM',
  driver: 'database driver (better-sqlite3 / pg), with its native calls',
  http: 'Express, express-session, passport and their dependencies',
  crypto: 'crypto (node:crypto, otplib), with its native calls',
  node: 'Node HTTP, sockets and streams (node:_http_*, net, stream)',
  nodeOther: 'other Node internals (events, timers, async context, buffers, …)',
  gc: 'garbage collection',
  program: 'V8 and native code outside any JS frame ((program))',
  other: 'other packages',
} as const;

/** A frame's category from its code's location; undefined for native frames, charged to their caller. */
function categoryOf(url: string, fn: string): keyof typeof CATEGORIES | undefined {
  if (fn === '(garbage collector)') return 'gc';
  if (fn === '(program)') return 'program';
  if (!url) return undefined;
  if (url.startsWith('node:')) {
    if (/crypto/.test(url)) return 'crypto';
    return /_http_|internal\/http|node:net|stream|node:internal\/js_stream|tcp|node:http/.test(url)
      ? 'node'
      : 'nodeOther';
  }
  const pkg = url.includes('node_modules/') ? where(url) : undefined;
  if (pkg === undefined) return /dist-sample\/bench\//.test(url) ? 'app' : 'lib';
  if (pkg === 'typeorm') return 'typeorm';
  if (DRIVERS.has(pkg)) return 'driver';
  if (HTTP_STACK.has(pkg)) return 'http';
  return CRYPTO.has(pkg) ? 'crypto' : 'other';
}

export interface ProfileBreakdown {
  /** µs of samples that were not idle (the main thread at work). */
  busy: number;
  byCategory: Array<{ category: string; share: number }>;
  /** Packages behind 'other packages', so nothing hides in it. */
  others: Array<{ name: string; share: number }>;
  topSelf: Array<{ frame: string; category: string; share: number }>;
}

/** Self time per category; a native frame (no url) counts for its nearest JS caller, except for better-sqlite3's statements. */
export function breakdown(profile: CpuProfile, top = 10): ProfileBreakdown {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)));
  // The profiler's own stop (it builds the profile on the main thread) is not part of the run.
  const profilerAt = new Set<number>();
  const mark = (id: number, inside: boolean): void => {
    const n = byId.get(id)!;
    const here = inside || n.callFrame.url.endsWith('profiler.preload.js');
    if (here) profilerAt.add(id);
    for (const c of n.children ?? []) mark(c, here);
  };
  mark(profile.nodes[0].id, false);
  const add = (m: Map<string, number>, k: string, t: number) => m.set(k, (m.get(k) ?? 0) + t);
  const cats = new Map<string, number>();
  const others = new Map<string, number>();
  const frames = new Map<string, number>();
  let busy = 0;
  for (const [id, t] of self) {
    const node = byId.get(id)!;
    const { functionName: fn, url } = node.callFrame;
    if (fn === '(idle)' || fn === '(root)' || profilerAt.has(id)) continue;
    busy += t;
    let cat: keyof typeof CATEGORIES | undefined = categoryOf(url, fn);
    let owner = node;
    for (let cur = parent.get(id); cat === undefined && cur !== undefined; cur = parent.get(cur)) {
      owner = byId.get(cur)!;
      cat = categoryOf(owner.callFrame.url, owner.callFrame.functionName);
    }
    // better-sqlite3's Statement methods are native and called straight from TypeORM's query runner or our store.
    if (!url && (cat === 'typeorm' || cat === 'lib') && SQLITE_NATIVE.test(fn)) cat = 'driver';
    cat ??= 'nodeOther';
    add(cats, cat, t);
    if (cat === 'other') add(others, where(owner.callFrame.url), t);
    // One native name (run) can be SQLite under the store and crypto under randomBytes: keyed with its category.
    const frame = `${fn || '(anonymous)'} ${url ? `${where(url, true)}:${node.callFrame.lineNumber + 1}` : '(native)'}\u0000${cat}`;
    add(frames, frame, t);
  }
  const rank = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  return {
    busy,
    byCategory: rank(cats).map(([k, t]) => ({ category: CATEGORIES[k as keyof typeof CATEGORIES], share: t / busy })),
    others: rank(others).map(([name, t]) => ({ name, share: t / busy })),
    topSelf: rank(frames)
      .slice(0, top)
      .map(([key, t]) => {
        const [frame, cat] = key.split('\u0000');
        return { frame, category: CATEGORIES[cat as keyof typeof CATEGORIES], share: t / busy };
      }),
  };
}
