import { CounterHit, CounterStore } from '../ports/counter-store.port';

const SWEPT_PER_HIT = 2;

interface Window {
  count: number;
  endsAt: number;
}

/**
 * The single-instance default. The check and the increment happen in one synchronous
 * step of the event loop, which is what makes `hit` atomic here. Use a shared store
 * (database or Redis) when several instances serve the same users.
 */
export class InMemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, Window>();

  async hit(key: string, limit: number, windowMs: number, now: number): Promise<CounterHit> {
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + windowMs };
      this.windows.delete(key); // re-inserted at the tail: the head holds the oldest windows
      this.windows.set(key, window);
    }
    window.count += 1;
    this.sweep(now);
    return { allowed: window.count <= limit, count: window.count, retryAfterMs: window.endsAt - now };
  }

  async peek(key: string, now: number): Promise<{ count: number; retryAfterMs: number }> {
    const window = this.windows.get(key);
    return window && window.endsAt > now
      ? { count: window.count, retryAfterMs: window.endsAt - now }
      : { count: 0, retryAfterMs: 0 };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  /**
   * A key nobody hits again (a user who left, a one-off IP) would keep its window forever.
   * Each hit looks at the two oldest windows: an expired one goes, a live one moves to the
   * tail. Windows differ in length, so expiry is not in order; the rotation still visits
   * every window while the map holds no more than about the live ones (amortised O(1)).
   */
  private sweep(now: number): void {
    for (let i = 0; i < SWEPT_PER_HIT; i++) {
      const oldest = this.windows.entries().next();
      if (oldest.done) return;
      const [key, window] = oldest.value;
      this.windows.delete(key);
      if (window.endsAt > now) this.windows.set(key, window);
    }
  }
}
