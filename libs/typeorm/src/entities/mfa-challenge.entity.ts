import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

@Entity({ name: 'mfa_challenges' })
@Index('idx_mfa_challenges_session', ['sessionRef', 'purpose'])
@Index('idx_mfa_challenges_expires', ['expiresAt']) // background retention prunes by it
export class MfaChallengeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'session_ref', type: 'varchar', length: 64 }) sessionRef: string;
  @Column({ type: 'varchar', length: 191 }) purpose: string;
  @Column({ type: 'text' }) requirement: string;
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'completed_at', type: 'bigint', nullable: true, transformer: epochMs }) completedAt: number | null;
}
