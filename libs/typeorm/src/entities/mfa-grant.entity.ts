import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** A single-use authorisation for one service/operation, spent by one request. */
@Entity({ name: 'mfa_grants' })
@Index('idx_mfa_grants_session_scope', ['sessionRef', 'scope'])
@Index('idx_mfa_grants_expires', ['expiresAt']) // background retention prunes by it
export class MfaGrantEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'session_ref', type: 'varchar', length: 64 }) sessionRef: string;
  @Column({ type: 'varchar', length: 191 }) scope: string;
  @Column({ type: 'varchar', length: 32 }) factor: string;
  @Column({ name: 'event_id', type: 'varchar', length: 36 }) eventId: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs }) usedAt: number | null;
  /** JSON: the AAL and `amr` the verification reached; NULL on rows written before they were kept. */
  @Column({ type: 'text', nullable: true }) assurance: string | null;
}
