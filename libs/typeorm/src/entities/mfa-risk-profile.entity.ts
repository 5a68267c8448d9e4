import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/**
 * What the risk engine remembers per user (RiskProfile): JSON in TEXT columns, the same on
 * every dialect. The last location is in tenths of a degree, whole numbers: the profile
 * keeps it rounded to one decimal anyway, and INT reads back exactly where a float may not.
 */
@Entity({ name: 'mfa_risk_profiles' })
@Index('idx_mfa_risk_profiles_updated', ['updatedAt'])
export class MfaRiskProfileEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  /** JSON: device family ("Firefox/Linux") → last seen, epoch ms. */
  @Column({ name: 'device_families', type: 'text' }) deviceFamilies: string;
  /** JSON: ISO country code → last seen, epoch ms. */
  @Column({ type: 'text' }) countries: string;
  /** JSON: 24 counters, one per UTC hour of day. */
  @Column({ type: 'text' }) hours: string;
  @Column({ name: 'last_latitude_tenths', type: 'int', nullable: true }) lastLatitudeTenths: number | null;
  @Column({ name: 'last_longitude_tenths', type: 'int', nullable: true }) lastLongitudeTenths: number | null;
  /** Whole km: how far off the last location may be. */
  @Column({ name: 'last_accuracy_km', type: 'int', nullable: true }) lastAccuracyKm: number | null;
  @Column({ name: 'last_country', type: 'varchar', length: 8, nullable: true }) lastCountry: string | null;
  @Column({ name: 'last_located_at', type: 'bigint', nullable: true, transformer: epochMs })
  lastLocatedAt: number | null;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt: number;
}
