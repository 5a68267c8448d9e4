/**
 * What the built-in risk engine remembers about one user, and no more: the minimum each
 * signal needs. No IP address is kept here (the audit trail keeps its own, under its own
 * retention); locations are coarse (one decimal degree, about 11 km) and only the last one.
 * Every entry carries when it was last seen, so the retention window can drop it.
 */
export interface RiskProfile {
  userId: string;
  /** "Firefox/Linux" → when last seen (epoch ms). */
  deviceFamilies: Record<string, number>;
  /** ISO 3166-1 alpha-2 → when last seen (epoch ms). */
  countries: Record<string, number>;
  /**
   * The last verified location, rounded to one decimal degree. `accuracyKm`: how far off it
   * may be (GeoIP's radius, or the country's size when only the country was known).
   */
  lastLocation?: { latitude: number; longitude: number; accuracyKm?: number; country?: string; at: number };
  /** 24 counters, one per UTC hour of day, of verified sign-ins. */
  hours: number[];
  /** Epoch ms of the last write; each write moves it forward, so it is also the write's condition. */
  updatedAt: number;
}

/**
 * Where risk profiles live. A store that also implements these methods (the TypeORM store
 * does) keeps them beside the rest of the MFA state, shared by every instance; otherwise
 * they live in memory (one instance, lost on restart). Method names are prefixed so one
 * class can implement this and MfaStore together.
 */
export interface RiskHistoryStore {
  loadRiskProfile(userId: string): Promise<RiskProfile | undefined>;
  /**
   * Writes `profile` only if the stored one is still the one it was learned from: its
   * `updatedAt` is `readAt`, or with `readAt` null there is none. Otherwise (a reset or
   * another write came in between) writes nothing and answers false, so a reset is never
   * undone by a learning that read the profile before it. A lost write costs one
   * observation: the user may be asked again later, the safe direction.
   */
  saveRiskProfile(profile: RiskProfile, readAt: number | null): Promise<boolean>;
  /** On user erasure and admin reset. */
  forgetRiskProfile(userId: string): Promise<void>;
  /** Drops profiles not updated since `before`, at most `limit` of them; returns how many went. */
  pruneRiskProfiles(before: number, limit: number): Promise<number>;
}

/** Where a request comes from, as a GeoIP resolver or the host's trusted headers tell it. */
export interface GeoLocation {
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  latitude?: number;
  longitude?: number;
  /** How far off the coordinates may be, in km (GeoIP's accuracy radius). */
  accuracyKm?: number;
}

/** Looks up an IP address; undefined when the address is not in the database. */
export type GeoIpResolver = (ip: string) => GeoLocation | undefined | Promise<GeoLocation | undefined>;
