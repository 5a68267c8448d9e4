import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** One row per code, each with its own salted scrypt hash. */
@Entity({ name: 'mfa_backup_codes' })
@Index('idx_mfa_backup_codes_user', ['userId'])
export class MfaBackupCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'code_hash', type: 'varchar', length: 255 }) codeHash: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: epochMs }) usedAt: number | null;
}
