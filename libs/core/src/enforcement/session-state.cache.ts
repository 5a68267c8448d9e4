import { sessionRefOf } from '../audit/audit-trail';
import { Clock } from '../clock/clock';
import { SessionFactorRecord } from '../ports/mfa-store.port';
import { SessionInvalidation, SessionInvalidationBus } from '../ports/session-invalidation.port';

interface Entry {
  sessionRef: string;
  userId: string;
  factors: SessionFactorRecord[];
  expiresAt: number;
}

/**
 * Process-local read cache of what each session has verified, so a satisfied guarded
 * request needs no store round trip. Every write this process makes invalidates it
 * exactly. Writes by OTHER processes arrive through the invalidation bus when there is one
 * (milliseconds later); without a bus they are seen after at most `ttlMs`, which is why it
 * is then off unless the store is single-process (the embedded SQLite default). While the
 * bus is disconnected nothing is served from the cache. Freshness (`maxAge`) is always
 * computed live from the cached times.
 */
export class SessionStateCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byRef = new Map<string, string>();
  /** Bumped by every invalidation; a read that overlapped one is not cached (it may be stale). */
  private invalidations = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 50_000,
    private readonly bus?: SessionInvalidationBus,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && (this.bus?.connected ?? true);
  }

  /** Listens to other instances' invalidations (when there is a bus). */
  async connect(): Promise<void> {
    await this.bus?.subscribe(
      (event) => this.drop(event),
      () => this.clear(),
    );
  }

  get(sessionKey: string, userId: string): SessionFactorRecord[] | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(sessionKey);
    if (!entry) return undefined;
    if (entry.userId !== userId || entry.expiresAt <= this.clock.now()) {
      this.remove(sessionKey);
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
    const sessionRef = sessionRefOf(sessionKey);
    const now = this.clock.now();
    this.remove(sessionKey); // re-insert so eviction order follows recency of writes
    this.entries.set(sessionKey, { sessionRef, userId, factors, expiresAt: now + this.ttlMs });
    this.byRef.set(sessionRef, sessionKey);
    this.dropExpired(now);
    if (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value!);
  }

  /** This process wrote the session's state: drop it here and tell the other instances. */
  async invalidateSession(sessionKey: string): Promise<void> {
    this.invalidations++;
    this.remove(sessionKey);
    await this.bus?.publish({ sessionRef: sessionRefOf(sessionKey) });
  }

  async invalidateUser(userId: string): Promise<void> {
    this.drop({ userId });
    await this.bus?.publish({ userId });
  }

  private drop(event: SessionInvalidation): void {
    this.invalidations++;
    if ('sessionRef' in event) {
      const key = this.byRef.get(event.sessionRef);
      if (key !== undefined) this.remove(key);
      return;
    }
    for (const [key, entry] of this.entries) if (entry.userId === event.userId) this.remove(key);
  }

  private clear(): void {
    this.invalidations++;
    this.entries.clear();
    this.byRef.clear();
  }

  /**
   * A signed-out session is never read again, so its entry would stay until the cap. With
   * one TTL, write order is expiry order: the expired ones are at the head, and each write
   * drops them there (amortised O(1), no timer to keep the process alive).
   */
  private dropExpired(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) return;
      this.remove(key);
    }
  }

  private remove(sessionKey: string): void {
    const entry = this.entries.get(sessionKey);
    if (!entry) return;
    this.entries.delete(sessionKey);
    this.byRef.delete(entry.sessionRef);
  }
}
