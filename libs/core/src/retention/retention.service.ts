import type { AuditTrail } from '../audit/audit-trail';
import type { Clock } from '../clock/clock';
import type { ResolvedRetention } from './retention.options';
import { RETENTION_KINDS, RetentionKind, RetentionStore } from './retention.port';

/**
 * How long a row stays after it died. Nothing reads a dead row to decide anything, but an
 * instance whose clock runs behind may still be finishing a flow that read it alive, and a
 * provider's late delivery report still finds its code.
 */
export const RETENTION_GRACE_MS = 3_600_000;

/** Rows pruned in one run, per kind; `riskProfiles` are the risk engine's, past `risk.retentionDays`. */
export type RetentionCounts = Partial<Record<RetentionKind | 'riskProfiles', number>>;

export interface RetentionDeps {
  /** undefined: the store keeps no prunable rows of its own; risk profiles are still pruned. */
  store?: RetentionStore;
  /** The risk engine's prune (its own window). */
  pruneRiskProfiles?: (limit: number) => Promise<number>;
  audit: AuditTrail;
  clock: Clock;
  options: ResolvedRetention;
  /**
   * The longest finite `maxAge` (seconds) a step of the active policy asks for: a session's
   * verifications are kept at least that long, whatever `sessionDays` says.
   */
  policyMaxAgeSeconds?: () => number;
  /** Injected so tests drive the schedule without waiting. */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  /** Picks the first run's jitter; injected so tests are deterministic. @default Math.random */
  random?: () => number;
}

/** The first run waits at least this long after start (never longer than the interval). */
export const RETENTION_FIRST_RUN_MIN_MS = 5_000;

/**
 * Prunes dead rows in the background: the first run a random tenth of the interval after
 * start (so instances booted together do not prune together), then one every
 * `intervalSeconds` (the next is scheduled only once the previous ended, so runs never
 * overlap), each kind in bounded batches until a batch comes back short or the per-run cap
 * is hit. A failure is reported and audited, never thrown: pruning must not touch a request
 * or crash the process.
 */
export class RetentionService {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<RetentionCounts> | undefined;
  private started = false;
  /** Set by stop(): a run in progress ends at its next batch, and none is scheduled again. */
  private closed = false;

  constructor(private readonly deps: RetentionDeps) {}

  /** Schedules the first run after a jitter; a no-op when retention is off or already started. */
  start(): void {
    if (!this.deps.options.enabled || this.started || this.closed) return;
    this.started = true;
    const { intervalMs } = this.deps.options;
    const jitter = Math.floor((this.deps.random ?? Math.random)() * (intervalMs / 10));
    this.schedule(Math.min(intervalMs, Math.max(RETENTION_FIRST_RUN_MIN_MS, jitter)));
  }

  /** Cancels the next run and waits for one in progress to end at its next batch. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.timer) (this.deps.timers ?? globalThis).clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One run now, or the one already in progress: never two at once in this process. */
  runOnce(): Promise<RetentionCounts> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private schedule(delayMs = this.deps.options.intervalMs): void {
    if (this.closed) return;
    const timers = this.deps.timers ?? globalThis;
    this.timer = timers.setTimeout(() => {
      this.timer = undefined;
      // run() reports its own failures; this catch is the last guard so a timer never dies.
      void this.runOnce()
        .catch((err: unknown) =>
          process.stderr.write(`nestjs-mfa: retention run failed: ${err instanceof Error ? err.name : 'error'}\n`),
        )
        .then(() => this.schedule());
    }, delayMs);
    // A pending prune must never keep the process alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async run(): Promise<RetentionCounts> {
    const counts: RetentionCounts = {};
    const now = this.deps.clock.now();
    const { store, pruneRiskProfiles } = this.deps;
    if (store)
      for (const kind of RETENTION_KINDS) {
        const before = this.cutoff(kind, now);
        if (before === null) continue;
        await this.prune(kind, counts, (limit) => store.pruneExpired(kind, before, limit));
      }
    if (pruneRiskProfiles) await this.prune('riskProfiles', counts, pruneRiskProfiles);
    const pruned = Object.entries(counts).filter(([, n]) => n! > 0);
    const reason = pruned.map(([kind, n]) => `${kind}=${n}`).join(' ');
    // Stopped mid-run, the engine is closing its store (and a database audit sink with it):
    // the summary goes to stderr rather than to a sink that may already be gone.
    if (pruned.length && this.closed) process.stderr.write(`nestjs-mfa: retention pruned ${reason} (stopped)\n`);
    else if (pruned.length)
      this.deps.audit.record(undefined, {
        type: 'retention.pruned',
        severity: 'info',
        outcome: 'success',
        actor: 'retention',
        reason,
      });
    return counts;
  }

  /** Rows of `kind` dead before this instant go; null: this kind is kept. */
  private cutoff(kind: RetentionKind, now: number): number | null {
    const { sessionMs, auditMs } = this.deps.options;
    if (kind === 'auditEvents') return auditMs === null ? null : now - auditMs;
    if (kind === 'sessionVerifications') {
      // A step's maxAge longer than sessionDays may still count an old verification.
      const policyMs = (this.deps.policyMaxAgeSeconds?.() ?? 0) * 1000;
      return now - Math.max(sessionMs, policyMs) - RETENTION_GRACE_MS;
    }
    return now - RETENTION_GRACE_MS;
  }

  private async prune(
    kind: RetentionKind | 'riskProfiles',
    counts: RetentionCounts,
    batch: (limit: number) => Promise<number>,
  ): Promise<void> {
    const { batchSize, maxBatchesPerRun } = this.deps.options;
    let total = 0;
    try {
      for (let n = 0; n < maxBatchesPerRun && !this.closed; n++) {
        const deleted = await batch(batchSize);
        total += deleted;
        // A short batch means nothing more was dead when it ran (or another instance took it).
        if (deleted < batchSize) break;
      }
    } catch (err) {
      const name = err instanceof Error ? err.name : 'error';
      // The operator's log gets the driver's words (a missing table, a lock timeout); the audit event only the name.
      const detail = err instanceof Error ? `: ${err.message.slice(0, 200)}` : '';
      process.stderr.write(`nestjs-mfa: retention of ${kind} failed: ${name}${detail}\n`);
      if (!this.closed)
        this.deps.audit.record(undefined, {
          type: 'retention.failed',
          severity: 'warning',
          outcome: 'failure',
          actor: 'retention',
          reason: `${kind}: ${name}`,
        });
    }
    counts[kind] = total;
  }
}
