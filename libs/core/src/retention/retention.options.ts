import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { isRetentionStore, RetentionStore } from './retention.port';

/** Background pruning of dead rows (docs/operations.md#retention). */
export interface RetentionOptions {
  /** `false` turns background pruning off (prune from a job of yours with `engine.pruneExpired()`). @default true */
  enabled?: boolean;
  /** Seconds between runs; each run starts this long after the previous one ended. @default 3600 */
  intervalSeconds?: number;
  /** Rows per DELETE statement, so no prune holds many locks or one long transaction. @default 500 */
  batchSize?: number;
  /** Batches per kind and run, so one run stays bounded; the rest waits for the next run. @default 100 */
  maxBatchesPerRun?: number;
  /**
   * Days a session's verifications are kept after its newest one. Set it to at least your
   * sessions' absolute lifetime: a step without `maxAge` is met by any verification of a live
   * session, however old, and a pruned one is asked for again. @default 30
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

const fail = (message: string): never => {
  throw new MfaConfigurationError(message);
};

function whole(name: string, value: unknown, min: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min
    ? value
    : fail(`retention.${name} must be a whole number, ${min} or more (got ${String(value)}).`);
}

export function resolveRetention(options: RetentionOptions = {}): ResolvedRetention {
  if (options.store !== undefined && !isRetentionStore(options.store))
    fail('retention.store must implement pruneExpired(kind, before, limit) (RetentionStore), or be left out.');
  return {
    enabled: options.enabled ?? true,
    intervalMs: whole('intervalSeconds', options.intervalSeconds ?? 3600, 1) * 1000,
    batchSize: whole('batchSize', options.batchSize ?? 500, 1),
    maxBatchesPerRun: whole('maxBatchesPerRun', options.maxBatchesPerRun ?? 100, 1),
    sessionMs: whole('sessionDays', options.sessionDays ?? 30, 1) * DAY_MS,
    auditMs:
      options.auditRetentionDays === undefined
        ? null
        : whole('auditRetentionDays', options.auditRetentionDays, 1) * DAY_MS,
  };
}
