import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch-ms.transformer';

/** Attempt counters shared by every instance that uses the same database. */
@Entity({ name: 'mfa_counters' })
export class MfaCounterEntity {
  @PrimaryColumn({ name: 'counter_key', type: 'varchar', length: 191 }) key: string;
  @Column({ type: 'int' }) count: number;
  @Column({ name: 'window_ends_at', type: 'bigint', transformer: epochMs }) windowEndsAt: number;
}
