import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/**
 * Report-only runs starting and stopping, newest by `seq`. A table of its own, not a kind of
 * activation: an instance that reads activations (an older one during a rolling upgrade
 * included) can never take a report-only version for the enforcing one.
 */
@Entity({ name: 'mfa_policy_report_only' })
export class MfaPolicyReportOnlyEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' }) seq: number;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'varchar', length: 191 }) actor: string;
  /** 'start' | 'stop' */
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ name: 'recorded_at', type: 'bigint', transformer: epochMs }) at: number;
}
