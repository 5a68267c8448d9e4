// Style: the query builder and repository API; a device is read once per new session, not
// per request. Revocation is still one conditional UPDATE decided by affected rows.
import type { TrustedDeviceRecord, TrustedDeviceStore } from '../../../core/src';
import { MfaTrustedDeviceEntity } from '../entities/mfa-trusted-device.entity';
import type { SqlRunner } from '../sql-runner';

export class TrustedDeviceRepository implements TrustedDeviceStore {
  constructor(private readonly sql: SqlRunner) {}

  async createTrustedDevice(r: TrustedDeviceRecord): Promise<void> {
    await this.sql.repository(MfaTrustedDeviceEntity).insert(r);
  }

  async findTrustedDevice(id: string): Promise<TrustedDeviceRecord | null> {
    return this.sql.repository(MfaTrustedDeviceEntity).findOneBy({ id });
  }

  async listTrustedDevices(userId: string): Promise<TrustedDeviceRecord[]> {
    return this.sql.repository(MfaTrustedDeviceEntity).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  async touchTrustedDevice(id: string, now: number): Promise<void> {
    await this.sql.update(MfaTrustedDeviceEntity).set({ lastSeenAt: now }).where('id = :id', { id }).execute();
  }

  async revokeTrustedDevice(userId: string, id: string, now: number, reason: string): Promise<boolean> {
    const result = await this.sql
      .update(MfaTrustedDeviceEntity)
      .set({ revokedAt: now, revokedReason: reason.slice(0, 191) })
      .where('id = :id AND user_id = :userId AND revoked_at IS NULL', { id, userId })
      .execute();
    return result.affected === 1;
  }

  async revokeTrustedDevices(userId: string, now: number, reason: string): Promise<number> {
    const result = await this.sql
      .update(MfaTrustedDeviceEntity)
      .set({ revokedAt: now, revokedReason: reason.slice(0, 191) })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
    return result.affected ?? 0;
  }
}
