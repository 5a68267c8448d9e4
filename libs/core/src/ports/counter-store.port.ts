export interface CounterHit {
  /** False once the limit is exceeded: the attempt must not be evaluated. */
  allowed: boolean;
  count: number;
  /** Milliseconds until the window ends (the lock lifts). */
  retryAfterMs: number;
}

/**
 * Attempt counters. `hit` counts BEFORE the attempt is evaluated and is atomic, so
 * N concurrent guesses against a limit of L evaluate at most L of them.
 */
export interface CounterStore {
  hit(key: string, limit: number, windowMs: number, now: number): Promise<CounterHit>;
  reset(key: string): Promise<void>;
}
