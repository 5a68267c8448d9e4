import { Clock } from '../clock/clock';
import { SessionFactorRecord } from '../ports/mfa-store.port';

interface Entry {
  userId: string;
  factors: SessionFactorRecord[];
  expiresAt: number;
}

/**
 * Process-local read cache of what each session has verified, so a satisfied guarded
 * request needs no store round trip. Every write this process makes invalidates it
 * exactly; writes by OTHER processes are seen after at most `ttlMs`, which is why it is
 * off unless the store is single-process (the embedded SQLite default) or you accept
 * that delay. Freshness (`maxAge`) is always computed live from the cached times.
 */
export class SessionStateCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation; a read that overlapped one is not cached (it may be stale). */
  private invalidations = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 50_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get(sessionKey: string, userId: string): SessionFactorRecord[] | undefined {
    const entry = this.entries.get(sessionKey);
    if (!entry) return undefined;
    if (entry.userId !== userId || entry.expiresAt <= this.clock.now()) {
      this.entries.delete(sessionKey);
      return undefined;
    }
    return entry.factors;
  }

  /** A token to pass to `set`, taken before reading the store. */
  readTicket(): number {
    return this.invalidations;
  }

  set(sessionKey: string, userId: string, factors: SessionFactorRecord[], ticket: number): void {
    if (!this.enabled || ticket !== this.invalidations) return;
    this.entries.delete(sessionKey); // re-insert so eviction order follows recency of writes
    this.entries.set(sessionKey, { userId, factors, expiresAt: this.clock.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  invalidateSession(sessionKey: string): void {
    this.invalidations++;
    this.entries.delete(sessionKey);
  }

  invalidateUser(userId: string): void {
    this.invalidations++;
    for (const [ref, entry] of this.entries) if (entry.userId === userId) this.entries.delete(ref);
  }
}
