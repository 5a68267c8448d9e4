import { CounterHit, CounterStore } from '../ports/counter-store.port';

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
      this.windows.set(key, window);
    }
    window.count += 1;
    if (this.windows.size > 100_000) this.evictExpired(now);
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

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}
