import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** Trusted browsers: digests of the cookie token and of the browser's traits, never the token. */
@Entity({ name: 'mfa_trusted_devices' })
@Index('idx_mfa_trusted_devices_user', ['userId'])
@Index('idx_mfa_trusted_devices_expires', ['expiresAt']) // background retention prunes by it
export class MfaTrustedDeviceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'token_digest', type: 'varchar', length: 128 }) tokenDigest: string;
  @Column({ name: 'fingerprint_digest', type: 'varchar', length: 128 }) fingerprintDigest: string;
  @Column({ type: 'varchar', length: 64 }) label: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'last_seen_at', type: 'bigint', transformer: epochMs }) lastSeenAt: number;
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs }) revokedAt: number | null;
  @Column({ name: 'revoked_reason', type: 'varchar', length: 191, nullable: true }) revokedReason: string | null;
}
