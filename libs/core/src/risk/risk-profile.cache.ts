import type { Clock } from '../clock/clock';
import type { RiskProfile } from '../ports/risk-history.port';

interface Entry {
  profile: RiskProfile | undefined;
  loadedAt: number;
}

/**
 * Profiles this process read lately, so a user's guarded requests do not each cost a
 * store read. Bounded (least recently used goes first) and brief: another instance's write
 * shows up within `ttlMs`. Until then the older profile mostly knows less (a country just
 * learned elsewhere still looks new), and impossible travel is measured from the location
 * it remembers. This process's own writes replace the entry at once.
 */
export class RiskProfileCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(userId: string, load: () => Promise<RiskProfile | undefined>): Promise<RiskProfile | undefined> {
    const now = this.clock.now();
    const hit = this.entries.get(userId);
    if (hit && now - hit.loadedAt < this.ttlMs) {
      this.entries.delete(userId);
      this.entries.set(userId, hit);
      return hit.profile;
    }
    // A failed load throws through: the caller fails closed, and nothing is cached.
    const profile = await load();
    this.put(userId, profile, now);
    return profile;
  }

  /** The fresh entry, if there is one, without loading: what the synchronous fast path can know. */
  peek(userId: string): { profile: RiskProfile | undefined } | undefined {
    const hit = this.entries.get(userId);
    return hit && this.clock.now() - hit.loadedAt < this.ttlMs ? hit : undefined;
  }

  set(userId: string, profile: RiskProfile | undefined): void {
    this.put(userId, profile, this.clock.now());
  }

  delete(userId: string): void {
    this.entries.delete(userId);
  }

  private put(userId: string, profile: RiskProfile | undefined, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(userId);
    this.entries.set(userId, { profile, loadedAt: now });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
