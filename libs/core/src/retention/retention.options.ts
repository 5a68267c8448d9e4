import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { isRetentionStore, RetentionStore } from './retention.port';

/** Background pruning of dead rows (docs/operations.md#retention). */
export interface RetentionOptions {
  /** `false` turns background pruning off (prune from a job of yours with `engine.pruneExpired()`). @default true */
  enabled?: boolean;
  /**
   * Seconds between runs; each run starts this long after the previous one ended, the first
   * after a random tenth of it (at least 5 s). At most 2,073,600 (24 days): Node's timers
   * hold no longer delay. @default 3600
   */
  intervalSeconds?: number;
  /** Rows per DELETE statement, so no prune holds many locks or one long transaction. @default 500 */
  batchSize?: number;
  /** Batches per kind and run, so one run stays bounded; the rest waits for the next run. @default 100 */
  maxBatchesPerRun?: number;
  /**
   * Days a session's verifications are kept after its newest one. Set it to at least your
   * sessions' absolute lifetime: a step without `maxAge` is met by any verification of a live
   * session, however old, and a pruned one is asked for again. A policy step whose `maxAge` is
   * longer keeps them that long instead. @default 30
   */
  sessionDays?: number;
  /**
   * Days audit events (the `mfa_audit_events` table, `audit: 'database'`) are kept; this is
   * the issue's `audit.retentionDays`, here because `audit` names the sink. Other sinks keep
   * their own retention. @default keep forever
   */
  auditRetentionDays?: number;
  /** Where rows are pruned. @default the store when it implements RetentionStore; the setup builds one for the TypeORM store */
  store?: RetentionStore;
}

export interface ResolvedRetention {
  enabled: boolean;
  intervalMs: number;
  batchSize: number;
  maxBatchesPerRun: number;
  sessionMs: number;
  auditMs: number | null;
}

const DAY_MS = 86_400_000;
/** Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer delay fires after 1 ms. */
export const MAX_RETENTION_INTERVAL_SECONDS = 24 * 86_400;

const fail = (message: string): never => {
  throw new MfaConfigurationError(message);
};

function whole(name: string, value: unknown, min: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min
    ? value
    : fail(`retention.${name} must be a whole number, ${min} or more (got ${describe(value)}).`);
}

const describe = (value: unknown) => (typeof value === 'string' ? `the string '${value}'` : String(value));

export function resolveRetention(options: RetentionOptions = {}): ResolvedRetention {
  if (options.store !== undefined && !isRetentionStore(options.store))
    fail('retention.store must implement pruneExpired(kind, before, limit) (RetentionStore), or be left out.');
  const enabled = options.enabled ?? true;
  if (typeof enabled !== 'boolean')
    fail(
      `retention.enabled must be true or false (got ${describe(enabled)}); parse an environment variable first, e.g. process.env.X !== 'false'.`,
    );
  const interval = whole('intervalSeconds', options.intervalSeconds ?? 3600, 1);
  if (interval > MAX_RETENTION_INTERVAL_SECONDS)
    fail(
      `retention.intervalSeconds must be at most ${MAX_RETENTION_INTERVAL_SECONDS} (24 days; got ${interval}): Node's timers cannot hold a longer delay and would run back to back.`,
    );
  return {
    enabled,
    intervalMs: interval * 1000,
    batchSize: whole('batchSize', options.batchSize ?? 500, 1),
    maxBatchesPerRun: whole('maxBatchesPerRun', options.maxBatchesPerRun ?? 100, 1),
    sessionMs: whole('sessionDays', options.sessionDays ?? 30, 1) * DAY_MS,
    auditMs:
      options.auditRetentionDays === undefined
        ? null
        : whole('auditRetentionDays', options.auditRetentionDays, 1) * DAY_MS,
  };
}
