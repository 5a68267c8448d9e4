import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/**
 * Admins' time-boxed exemptions of one user from mandatory enrollment or one policy rule.
 * In force while `revoked_at` is null and `expires_at` is ahead: the clock ends them, and
 * retention deletes the row later.
 */
@Entity({ name: 'mfa_exemptions' })
@Index('idx_mfa_exemptions_user_expires', ['userId', 'expiresAt']) // the user's exemptions in force: one range
@Index('idx_mfa_exemptions_expires', ['expiresAt']) // background retention prunes by it
export class MfaExemptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ type: 'varchar', length: 16 }) scope: 'enrollment' | 'rule';
  @Column({ name: 'rule_id', type: 'varchar', length: 64, nullable: true }) ruleId: string | null;
  /** The rule as granted (`CompiledRule.fingerprint`): a changed rule under the same id is not lifted. */
  @Column({ name: 'rule_fingerprint', type: 'varchar', length: 64, nullable: true }) ruleFingerprint: string | null;
  @Column({ type: 'varchar', length: 512 }) reason: string;
  @Column({ name: 'granted_by', type: 'varchar', length: 191 }) grantedBy: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt: number;
  @Column({ name: 'revoked_at', type: 'bigint', nullable: true, transformer: epochMs }) revokedAt: number | null;
  @Column({ name: 'revoked_by', type: 'varchar', length: 191, nullable: true }) revokedBy: string | null;
}
