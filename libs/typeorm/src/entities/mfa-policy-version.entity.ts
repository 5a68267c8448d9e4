import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

@Entity({ name: 'mfa_policy_versions' })
export class MfaPolicyVersionEntity {
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'varchar', length: 191 }) author: string;
  @Column({ type: 'varchar', length: 512, nullable: true }) comment: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'content_hash', type: 'varchar', length: 64 }) contentHash: string;
  @Column({ type: 'text' }) document: string;
}
