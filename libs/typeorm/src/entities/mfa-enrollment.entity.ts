import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

@Entity({ name: 'mfa_enrollments' })
@Index('idx_mfa_enrollments_user', ['userId'])
@Index('uq_mfa_enrollments_credential', ['credentialKey'], { unique: true })
export class MfaEnrollmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ type: 'varchar', length: 32 }) type: string;
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ type: 'varchar', length: 191, nullable: true }) label: string | null;
  @Column({ name: 'sealed_secret', type: 'text' }) sealedSecret: string;
  @Column({ name: 'key_id', type: 'varchar', length: 32 }) keyId: string;
  @Column({ type: 'varchar', length: 16 }) algorithm: string;
  @Column({ type: 'int' }) digits: number;
  @Column({ type: 'int' }) period: number;
  @Column({ name: 'masked_target', type: 'varchar', length: 255, nullable: true }) maskedTarget: string | null;
  /** WebAuthn only, once confirmed: SHA-256 (hex) of the credential ID, unique across users. */
  @Column({ name: 'credential_key', type: 'varchar', length: 64, nullable: true }) credentialKey: string | null;
  /** JSON: a confirmed passkey's public metadata, all but the credential key. */
  @Column({ type: 'text', nullable: true }) details: string | null;
  @Column({ name: 'last_step', type: 'bigint', nullable: true, transformer: epochMs }) lastStep: number | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'confirmed_at', type: 'bigint', nullable: true, transformer: epochMs }) confirmedAt: number | null;
  @Column({ name: 'last_used_at', type: 'bigint', nullable: true, transformer: epochMs }) lastUsedAt: number | null;
}
