/** How long boot keeps trying a database that is not reachable yet. */
export interface DatabaseConnectRetry {
  /** Total time to keep trying before boot fails; 0 tries once. @default 30000 */
  timeoutMs?: number;
  /** Longest wait between two attempts; waits start at 250 ms and double up to this. @default 5000 */
  maxDelayMs?: number;
}

export const DEFAULT_CONNECT_RETRY: Required<DatabaseConnectRetry> = { timeoutMs: 30_000, maxDelayMs: 5_000 };
const FIRST_DELAY_MS = 250;

export interface RetryHooks {
  /** Only these failures are retried; any other is thrown at once. */
  isTransient(err: unknown): boolean;
  onRetry(err: unknown, delayMs: number): void;
  // Real time, not the engine's Clock: this waits for a network, not for a policy deadline.
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

/** Runs `attempt` until it succeeds, fails for good, or the time is up; throws the last failure. */
export async function connectWithRetry<T>(
  attempt: () => Promise<T>,
  retry: DatabaseConnectRetry | undefined,
  hooks: RetryHooks,
): Promise<T> {
  const { timeoutMs, maxDelayMs } = { ...DEFAULT_CONNECT_RETRY, ...retry };
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + timeoutMs;
  for (let delay = Math.min(FIRST_DELAY_MS, maxDelayMs); ; delay = Math.min(delay * 2, maxDelayMs)) {
    try {
      return await attempt();
    } catch (err) {
      const left = deadline - now();
      if (left <= 0 || !hooks.isTransient(err)) throw err;
      // The last wait is cut short so a final attempt lands on the deadline, not after it.
      const wait = Math.min(delay, left);
      hooks.onRetry(err, wait);
      await sleep(wait);
    }
  }
}
