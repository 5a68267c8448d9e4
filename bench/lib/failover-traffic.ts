/**
 * P10's load: loops that keep sending while the bench breaks things, every answer tallied under
 * the phase it was sent in, and the answers that must never happen kept as violations.
 */
import type { RequestSpec } from './load';
import type { PoolEntry, SeedOptions, Side } from './sides';

export interface Answer {
  status: number;
  /** `code` of the JSON body, or why there was no answer. */
  code: string;
  /** The session cookie the answer set (a renewed session), if any. */
  cookie?: string;
}

/** One request; a network failure or timeout is an answer too (status 0), never an exception. */
export async function call(base: string, spec: RequestSpec): Promise<Answer> {
  try {
    const res = await fetch(base + spec.path, {
      method: spec.method ?? 'GET',
      headers: spec.headers,
      body: spec.body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let code = '';
    try {
      code = (JSON.parse(text) as { code?: string }).code ?? '';
    } catch {
      code = text.slice(0, 40);
    }
    const set = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c.startsWith('connect.sid='));
    return { status: res.status, code, cookie: set };
  } catch (err) {
    return { status: 0, code: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network error' };
  }
}

/** Seeding goes through the engine, which needs Redis and the database: wait for both to be back. */
export async function seed(side: Side, opts: SeedOptions): Promise<PoolEntry[]> {
  for (let i = 0; ; i++) {
    try {
      return await side.seed(opts);
    } catch (err) {
      if (i >= 40) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

export class Traffic {
  /** phase → kind → "status code" → count */
  readonly tally = new Map<string, Map<string, Map<string, number>>>();
  /** phase → kind → ms from the phase's start to its first expected answer. */
  readonly firstGood = new Map<string, Map<string, number>>();
  readonly phases: string[] = [];
  readonly violations: string[] = [];
  readonly anomalies: string[] = [];
  private phase = '';
  private phaseStart = 0;
  private stopped = false;
  private readonly loops: Promise<void>[] = [];

  constructor(phase: string) {
    this.enter(phase);
  }

  enter(phase: string): void {
    this.phase = phase;
    this.phaseStart = performance.now();
    this.phases.push(phase);
  }

  get current(): string {
    return this.phase;
  }

  /** Tallies under the phase the request was sent in; `good` marks an answer the healthy system gives. */
  record(phase: string, kind: string, a: Answer, good: boolean): void {
    const kinds = this.tally.get(phase) ?? new Map<string, Map<string, number>>();
    this.tally.set(phase, kinds);
    const answers = kinds.get(kind) ?? new Map<string, number>();
    kinds.set(kind, answers);
    const key = `${a.status} ${a.code}`.trim();
    answers.set(key, (answers.get(key) ?? 0) + 1);
    if (good && phase === this.phase) {
      const first = this.firstGood.get(phase) ?? new Map<string, number>();
      this.firstGood.set(phase, first);
      if (!first.has(kind)) first.set(kind, performance.now() - this.phaseStart);
    }
  }

  /** `workers` loops of `step` until stop(); a step returning false has nothing to do for now. */
  run(workers: number, step: (phase: string) => Promise<boolean>): void {
    for (let w = 0; w < workers; w++)
      this.loops.push(
        (async () => {
          while (!this.stopped) {
            const busy = await step(this.phase).catch((err: Error) => {
              this.anomalies.push(`driver error: ${err.message}`);
              return false;
            });
            if (!busy) await new Promise((r) => setTimeout(r, 50));
          }
        })(),
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** "status code × n" per answer, most frequent first. */
  answers(phase: string, kind: string): string {
    const answers = this.tally.get(phase)?.get(kind);
    if (!answers) return '—';
    return [...answers]
      .sort((x, y) => y[1] - x[1])
      .map(([k, v]) => `${k} × ${v}`)
      .join(', ');
  }
}
