import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** Help-desk recovery tickets: a keyed digest of the ticket, spent once by `redeemed_at`. */
@Entity({ name: 'mfa_recovery_tickets' })
@Index('idx_mfa_recovery_tickets_user', ['userId'])
@Index('idx_mfa_recovery_tickets_expires', ['expiresAt']) // background retention prunes by it
export class MfaRecoveryTicketEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'code_digest', type: 'varchar', length: 128 }) codeDigest: string;
  @Column({ name: 'issued_by', type: 'varchar', length: 191 }) issuedBy: string;
  @Column({ type: 'varchar', length: 512, nullable: true }) reason: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'redeemed_at', type: 'bigint', nullable: true, transformer: epochMs }) redeemedAt: number | null;
}
