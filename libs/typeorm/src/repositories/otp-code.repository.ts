// Style: the query builder and repository API, one request per code sent; only the spend
// is raw SQL, the same statement the verification commit runs.
import type { OtpCodeRecord, OtpCodeStore } from '../../../core/src';
import type { OtpChannel } from '../../../core/src/ports/mfa-store.port';
import { MfaOtpCodeEntity } from '../entities/mfa-otp-code.entity';
import type { SqlRunner } from '../sql-runner';
import { spendStatements } from './spend.statements';

export class OtpCodeRepository implements OtpCodeStore {
  constructor(private readonly sql: SqlRunner) {}

  async replaceOtpCode(r: OtpCodeRecord, now: number): Promise<number> {
    return this.sql.dataSource.transaction(async (em) => {
      const killed = await em
        .createQueryBuilder()
        .update(MfaOtpCodeEntity)
        .set({ consumedAt: now })
        .where('user_id = :userId AND purpose = :purpose AND consumed_at IS NULL', {
          userId: r.userId,
          purpose: r.purpose,
        })
        .execute();
      await em.insert(MfaOtpCodeEntity, {
        ...r,
        consumedAt: null,
        provider: null,
        messageId: null,
        deliveryStatus: null,
        statusAt: null,
      });
      return killed.affected ?? 0;
    });
  }

  async findLiveOtpCode(
    userId: string,
    purpose: string,
    channel: OtpChannel,
    now: number,
  ): Promise<OtpCodeRecord | null> {
    const row = await this.sql
      .repository(MfaOtpCodeEntity)
      .createQueryBuilder('c')
      .where('c.user_id = :userId AND c.purpose = :purpose AND c.channel = :channel', { userId, purpose, channel })
      .andWhere('c.consumed_at IS NULL AND c.expires_at > :now', { now })
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getOne();
    if (!row) return null;
    const { id, enrollmentId, codeDigest, createdAt, expiresAt } = row;
    return { id, userId, channel, enrollmentId, purpose, codeDigest, createdAt, expiresAt };
  }

  async consumeOtpCode(userId: string, id: string, now: number): Promise<boolean> {
    const [spend] = spendStatements(userId, { kind: 'otp_code', codeId: id }, now);
    return (await this.sql.write(...spend)) === 1;
  }

  async recordOtpDelivery(
    id: string,
    provider: string,
    messageId: string | null,
    status: string | null,
  ): Promise<void> {
    await this.sql
      .update(MfaOtpCodeEntity)
      .set({
        provider: provider.slice(0, 32),
        messageId: messageId?.slice(0, 191) ?? null,
        deliveryStatus: status?.slice(0, 32) ?? null,
      })
      .where('id = :id', { id })
      .execute();
  }

  async updateDeliveryStatus(
    provider: string,
    messageId: string,
    status: string,
    now: number,
  ): Promise<{ userId: string; channel: string } | null> {
    const row = await this.sql
      .repository(MfaOtpCodeEntity)
      .findOne({ where: { provider, messageId }, select: { id: true, userId: true, channel: true } });
    if (!row) return null;
    await this.sql
      .update(MfaOtpCodeEntity)
      .set({ deliveryStatus: status, statusAt: now })
      .where('id = :id', { id: row.id })
      .execute();
    return { userId: row.userId, channel: row.channel };
  }
}
