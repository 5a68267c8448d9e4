import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

@Entity({ name: 'mfa_audit_events' })
@Index('idx_mfa_audit_user_at', ['userId', 'at'])
@Index('idx_mfa_audit_type_at_id', ['type', 'at', 'id'])
@Index('idx_mfa_audit_at', ['at'])
export class MfaAuditEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'bigint', transformer: epochMs }) at: number;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ type: 'varchar', length: 16 }) severity: string;
  @Column({ name: 'user_id', type: 'varchar', length: 191, nullable: true }) userId: string | null;
  @Column({ name: 'session_ref', type: 'varchar', length: 64, nullable: true }) sessionRef: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) channel: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) outcome: string | null;
  @Column({ type: 'varchar', length: 191, nullable: true }) reason: string | null;
  @Column({ name: 'challenge_id', type: 'varchar', length: 36, nullable: true }) challengeId: string | null;
  @Column({ name: 'enrollment_id', type: 'varchar', length: 36, nullable: true }) enrollmentId: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'policy_version', type: 'int', nullable: true }) policyVersion: number | null;
  @Column({ name: 'rule_id', type: 'varchar', length: 191, nullable: true }) ruleId: string | null;
  @Column({ type: 'varchar', length: 191, nullable: true }) actor: string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true }) userAgent: string | null;
  /** JSON: the decision's inputs, for what-if (DecisionReplay). */
  @Column({ type: 'text', nullable: true }) replay: string | null;
  /** JSON: what a report-only version would have done instead (ReportOnlyVerdict). */
  @Column({ name: 'report_only', type: 'text', nullable: true }) reportOnly: string | null;
}
