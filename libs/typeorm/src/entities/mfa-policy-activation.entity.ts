import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** Activation history, newest by `seq`; the newest row names the active policy version. */
@Entity({ name: 'mfa_policy_activations' })
export class MfaPolicyActivationEntity {
  @PrimaryGeneratedColumn('increment', { type: 'integer' }) seq: number;
  @Column({ type: 'int' }) version: number;
  @Column({ type: 'varchar', length: 191 }) actor: string;
  @Column({ type: 'varchar', length: 16 }) kind: string;
  @Column({ name: 'activated_at', type: 'bigint', transformer: epochMs }) activatedAt: number;
}
