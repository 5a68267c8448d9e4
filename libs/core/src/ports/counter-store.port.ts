export interface CounterHit {
  /** False once the limit is exceeded: the attempt must not be evaluated. */
  allowed: boolean;
  count: number;
  /** Milliseconds until the window ends (the lock lifts). */
  retryAfterMs: number;
}

/**
 * Attempt counters. `hit` counts BEFORE the attempt is evaluated and is atomic, so
 * N concurrent guesses against a limit of L evaluate at most L of them — on one instance
 * (in-process) or across all of them (database, Redis). A window opens at the first hit
 * and lasts `windowMs`; times come from the engine's clock, never the backend's.
 */
export interface CounterStore {
  hit(key: string, limit: number, windowMs: number, now: number): Promise<CounterHit>;
  /** The count in the key's live window (0 if none), without counting. */
  peek(key: string, now: number): Promise<{ count: number; retryAfterMs: number }>;
  reset(key: string): Promise<void>;
  /**
   * Optional: several `hit`s in one round trip (each still atomic on its own key). Keys
   * passed together belong to one user and share a `{hash tag}`, so a Redis Cluster keeps
   * them in one slot. Without it, the engine calls `hit` once per key.
   */
  hitMany?(hits: Array<{ key: string; limit: number; windowMs: number }>, now: number): Promise<CounterHit[]>;
  /** Optional: several `reset`s in one round trip. */
  resetMany?(keys: string[]): Promise<void>;
  close?(): Promise<void>;
}
