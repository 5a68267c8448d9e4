import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** SMS and email codes and WebAuthn challenges: a keyed digest, never the value; `consumed_at` is set once, by one UPDATE. */
@Entity({ name: 'mfa_otp_codes' })
@Index('idx_mfa_otp_codes_purpose', ['userId', 'purpose'])
@Index('idx_mfa_otp_codes_message', ['provider', 'messageId'])
@Index('idx_mfa_otp_codes_expires', ['expiresAt']) // background retention prunes by it
export class MfaOtpCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ type: 'varchar', length: 16 }) channel: string;
  @Column({ name: 'enrollment_id', type: 'varchar', length: 36 }) enrollmentId: string;
  @Column({ type: 'varchar', length: 191 }) purpose: string;
  @Column({ name: 'code_digest', type: 'varchar', length: 128 }) codeDigest: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'consumed_at', type: 'bigint', nullable: true, transformer: epochMs }) consumedAt: number | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) provider: string | null;
  @Column({ name: 'message_id', type: 'varchar', length: 191, nullable: true }) messageId: string | null;
  @Column({ name: 'delivery_status', type: 'varchar', length: 32, nullable: true }) deliveryStatus: string | null;
  @Column({ name: 'status_at', type: 'bigint', nullable: true, transformer: epochMs }) statusAt: number | null;
}
