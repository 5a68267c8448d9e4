import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** When mandatory enrollment first applied to a user (the grace period counts from it), and forced re-enrollment. */
@Entity({ name: 'mfa_user_states' })
export class MfaUserStateEntity {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 191 }) userId: string;
  @Column({ name: 'enrollment_required_since', type: 'bigint', nullable: true, transformer: epochMs })
  enrollmentRequiredSince: number | null;
  @Column({ name: 'reenrollment_forced_at', type: 'bigint', nullable: true, transformer: epochMs })
  reenrollmentForcedAt: number | null;
}
