import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** Which factor a session verified and when; keyed by a hash of the app's session id. */
@Entity({ name: 'mfa_session_factors' })
@Index('idx_mfa_session_factors_verified', ['verifiedAt']) // background retention prunes by it
export class MfaSessionFactorEntity {
  @PrimaryColumn({ name: 'session_ref', type: 'varchar', length: 64 }) sessionRef: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) factor: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'verified_at', type: 'bigint', transformer: epochMs }) verifiedAt: number;
  @Column({ name: 'event_id', type: 'varchar', length: 36, nullable: true }) eventId: string | null;
  /** JSON: the country, device trust and risk at verification, for continuous evaluation. */
  @Column({ type: 'text', nullable: true }) baseline: string | null;
  /** JSON: the AAL and `amr` the verification reached; NULL on rows written before they were kept. */
  @Column({ type: 'text', nullable: true }) assurance: string | null;
}
