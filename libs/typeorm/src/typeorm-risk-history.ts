import type { RiskHistoryStore, RiskProfile } from '../../core/src/ports/risk-history.port';

/**
 * The risk-history half of TypeOrmMfaStore, its base class: risk profiles in
 * `mfa_risk_profiles`, so the store a host already has is the risk engine's history too
 * (`risk.history` defaults to the store when it implements RiskHistoryStore).
 */
export abstract class TypeOrmRiskHistory implements RiskHistoryStore {
  protected constructor(private readonly profiles: RiskHistoryStore) {}

  loadRiskProfile(userId: string): Promise<RiskProfile | undefined> {
    return this.profiles.loadRiskProfile(userId);
  }
  saveRiskProfile(profile: RiskProfile, readAt: number | null): Promise<boolean> {
    return this.profiles.saveRiskProfile(profile, readAt);
  }
  forgetRiskProfile(userId: string): Promise<void> {
    return this.profiles.forgetRiskProfile(userId);
  }
  pruneRiskProfiles(before: number, limit: number): Promise<number> {
    return this.profiles.pruneRiskProfiles(before, limit);
  }
}
