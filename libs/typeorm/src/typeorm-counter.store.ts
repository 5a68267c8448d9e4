import { DataSource } from 'typeorm';
import type { CounterHit, CounterStore } from '../../core/src';
import { MfaCounterEntity } from './entities/mfa-counter.entity';

const MAX_COUNT = 2_147_483_647;

/**
 * CounterStore in the MFA database, shared by every instance. Admission is decided by
 * conditional UPDATEs whose affected-row count is the answer — the same pattern as every
 * single-use write — so concurrent attempts never get past the limit.
 */
export class TypeOrmCounterStore implements CounterStore {
  constructor(private readonly dataSource: DataSource) {}

  private update() {
    return this.dataSource.createQueryBuilder().update(MfaCounterEntity);
  }

  async hit(key: string, requestedLimit: number, windowMs: number, now: number): Promise<CounterHit> {
    // `count` is a 32-bit INT and PostgreSQL types the bound limit like it, refusing a larger
    // one; "no limit" (Number.MAX_SAFE_INTEGER, as strikes use) means the same within range.
    const limit = Math.min(requestedLimit, MAX_COUNT);
    for (let attempt = 0; attempt < 3; attempt++) {
      const counted = await this.update()
        .set({ count: () => 'count + 1' })
        .where('counter_key = :key AND window_ends_at > :now AND count < :limit', { key, now, limit })
        .execute();
      if (counted.affected === 1) return { allowed: true, ...(await this.read(key, now)) };

      const reopened = await this.update()
        .set({ count: 1, windowEndsAt: now + windowMs })
        .where('counter_key = :key AND window_ends_at <= :now', { key, now })
        .execute();
      if (reopened.affected === 1) return { allowed: true, count: 1, retryAfterMs: windowMs };

      const exists = await this.dataSource.getRepository(MfaCounterEntity).existsBy({ key });
      if (!exists) {
        try {
          await this.dataSource.getRepository(MfaCounterEntity).insert({ key, count: 1, windowEndsAt: now + windowMs });
          return { allowed: true, count: 1, retryAfterMs: windowMs };
        } catch {
          continue; // another instance opened the window first: count against it
        }
      }
      // At the limit: exactly one refused attempt moves the count to limit + 1 (the lock begins).
      const locking = await this.update()
        .set({ count: () => 'count + 1' })
        .where('counter_key = :key AND window_ends_at > :now AND count = :limit', { key, now, limit })
        .execute();
      const current = await this.read(key, now);
      // The window ended, or another instance just reopened it below the limit: count again.
      if (current.retryAfterMs === 0 || (locking.affected !== 1 && current.count < limit)) continue;
      return {
        allowed: false,
        count: locking.affected === 1 ? limit + 1 : Math.max(current.count, limit + 2),
        retryAfterMs: current.retryAfterMs,
      };
    }
    throw new Error('Attempt counter contention did not settle');
  }

  async peek(key: string, now: number): Promise<{ count: number; retryAfterMs: number }> {
    return this.read(key, now);
  }

  async reset(key: string): Promise<void> {
    await this.dataSource.getRepository(MfaCounterEntity).delete({ key });
  }

  private async read(key: string, now: number): Promise<{ count: number; retryAfterMs: number }> {
    const row = await this.dataSource.getRepository(MfaCounterEntity).findOneBy({ key });
    return row && row.windowEndsAt > now
      ? { count: row.count, retryAfterMs: row.windowEndsAt - now }
      : { count: 0, retryAfterMs: 0 };
  }
}
