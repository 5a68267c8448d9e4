// Style: the query builder and repository API; recovery is a help-desk path. Redemption is
// still one conditional UPDATE decided by affected rows.
import type { RecoveryTicketRecord, RecoveryTicketStore } from '../../../core/src';
import { MfaRecoveryTicketEntity } from '../entities/mfa-recovery-ticket.entity';
import type { SqlRunner } from '../sql-runner';

export class RecoveryTicketRepository implements RecoveryTicketStore {
  constructor(private readonly sql: SqlRunner) {}

  async createRecoveryTicket(r: RecoveryTicketRecord): Promise<void> {
    await this.sql.repository(MfaRecoveryTicketEntity).insert(r);
  }

  async findRecoveryTicket(id: string): Promise<RecoveryTicketRecord | null> {
    return this.sql.repository(MfaRecoveryTicketEntity).findOneBy({ id });
  }

  async redeemRecoveryTicket(id: string, now: number): Promise<boolean> {
    const result = await this.sql
      .update(MfaRecoveryTicketEntity)
      .set({ redeemedAt: now })
      .where('id = :id AND redeemed_at IS NULL AND expires_at > :now', { id, now })
      .execute();
    return result.affected === 1;
  }
}
