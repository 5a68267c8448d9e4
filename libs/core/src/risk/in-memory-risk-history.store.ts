import type { RiskHistoryStore, RiskProfile } from '../ports/risk-history.port';

/**
 * The default when the store keeps no profiles: one process's memory, lost on restart and
 * not shared between instances (each learns on its own). Profiles are copied in and out so
 * a caller's object is never the stored one. At most `maxProfiles`; the least recently
 * written go first.
 */
export class InMemoryRiskHistoryStore implements RiskHistoryStore {
  private readonly profiles = new Map<string, RiskProfile>();

  constructor(private readonly maxProfiles = 100_000) {}

  async loadRiskProfile(userId: string): Promise<RiskProfile | undefined> {
    const profile = this.profiles.get(userId);
    return profile && structuredClone(profile);
  }

  async saveRiskProfile(profile: RiskProfile, readAt: number | null): Promise<boolean> {
    const stored = this.profiles.get(profile.userId);
    if ((stored?.updatedAt ?? null) !== readAt) return false;
    this.profiles.delete(profile.userId);
    this.profiles.set(profile.userId, structuredClone(profile));
    if (this.profiles.size > this.maxProfiles) this.profiles.delete(this.profiles.keys().next().value!);
    return true;
  }

  async forgetRiskProfile(userId: string): Promise<void> {
    this.profiles.delete(userId);
  }

  async pruneRiskProfiles(before: number, limit: number): Promise<number> {
    let dropped = 0;
    for (const [userId, profile] of this.profiles) {
      if (dropped >= limit) break;
      if (profile.updatedAt < before) {
        this.profiles.delete(userId);
        dropped++;
      }
    }
    return dropped;
  }
}
