/**
 * P9's pacing: each kind of flow gets tokens at its own rate (at most a second's worth banked)
 * and launches a flow per token while fewer than `maxInflight` flows of that kind are in
 * flight. That is open loop while the server keeps up and closed loop when it does not: the
 * cap then bounds the flows in flight and the achieved rate falls below the target (the tokens
 * that find the cap full are dropped, not queued). The achieved rate is therefore counted, over
 * the time the pacer was launching, so the report can say whether the target was reached.
 *
 * `idle()` stops launching and waits (bounded) for the flows in flight, so a memory sample can
 * be taken with the server idle; `resume()` starts launching again, without a burst.
 */
import type { Kind, Outcome } from './soak-load';
import { KINDS } from './soak-load';

export interface FlowStats {
  launched: number;
  completed: number;
  failed: number;
  /** No pooled user was free (all busy, spent this step, or used up). */
  skipped: number;
}

export class SoakPacer {
  readonly stats = Object.fromEntries(
    KINDS.map((k) => [k, { launched: 0, completed: 0, failed: 0, skipped: 0 }]),
  ) as Record<Kind, FlowStats>;
  private readonly running = new Set<Promise<void>>();
  private paused = false;
  private stopped = false;
  private activeMs = 0;

  constructor(
    private readonly run: (kind: Kind) => Promise<Outcome>,
    private readonly rates: Record<Kind, number>,
    private readonly maxInflight: number,
  ) {}

  /** Flows per second the rates ask for, all kinds together. */
  get target(): number {
    return KINDS.reduce((a, k) => a + this.rates[k], 0);
  }

  /** Seconds spent launching flows (pauses for samples left out). */
  get activeSeconds(): number {
    return this.activeMs / 1000;
  }

  /** Flows that reached the server and finished (completed or failed; skipped ones did not load it). */
  get done(): number {
    return KINDS.reduce((a, k) => a + this.stats[k].completed + this.stats[k].failed, 0);
  }

  get inflight(): number {
    return this.running.size;
  }

  /** Paces every kind until `seconds` have passed or stop() is called, then waits for the flows in flight. */
  async drive(seconds: number): Promise<void> {
    const end = Date.now() + seconds * 1000;
    const tokens = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    const inflight = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
    let last = Date.now();
    while (Date.now() < end && !this.stopped) {
      const now = Date.now();
      // A pause neither earns tokens nor drops the ones banked (a slow kind would never launch).
      if (!this.paused) {
        this.activeMs += now - last;
        for (const kind of KINDS) {
          // At most a second's worth of backlog: a stall is not followed by a burst.
          const rate = this.rates[kind];
          tokens[kind] = Math.min(tokens[kind] + (rate * (now - last)) / 1000, Math.max(1, rate));
          while (tokens[kind] >= 1 && inflight[kind] < this.maxInflight) {
            tokens[kind]--;
            inflight[kind]++;
            this.stats[kind].launched++;
            const p: Promise<void> = this.run(kind).then(
              (outcome) => this.settle(kind, outcome, inflight, p),
              () => this.settle(kind, 'failed', inflight, p),
            );
            this.running.add(p);
          }
        }
      }
      last = now;
      await new Promise((r) => setTimeout(r, 20));
    }
    await Promise.all(this.running);
  }

  /** Stops launching and waits up to `boundMs` for the flows in flight; true when none is left. */
  async idle(boundMs: number): Promise<boolean> {
    this.paused = true;
    const until = Date.now() + boundMs;
    while (this.running.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    return this.running.size === 0;
  }

  resume(): void {
    this.paused = false;
  }

  stop(): void {
    this.stopped = true;
  }

  private settle(kind: Kind, outcome: Outcome, inflight: Record<Kind, number>, p: Promise<void>): void {
    this.stats[kind][outcome]++;
    inflight[kind]--;
    this.running.delete(p);
  }
}
