// Style: the query builder and repository API. There is no portable upsert through it, so
// each write is an UPDATE first and an INSERT where no row exists, tolerating a racing insert.
import type { UserMfaState, UserStateStore } from '../../../core/src';
import { MfaUserStateEntity } from '../entities/mfa-user-state.entity';
import type { SqlRunner } from '../sql-runner';

export class UserStateRepository implements UserStateStore {
  constructor(private readonly sql: SqlRunner) {}

  async findUserState(userId: string): Promise<UserMfaState | null> {
    return this.sql.repository(MfaUserStateEntity).findOneBy({ userId });
  }

  async markEnrollmentRequired(userId: string, now: number): Promise<number> {
    const repo = this.sql.repository(MfaUserStateEntity);
    // Only the first time counts: set it where it is still empty, insert where there is no row.
    await this.sql
      .update(MfaUserStateEntity)
      .set({ enrollmentRequiredSince: now })
      .where('user_id = :userId AND enrollment_required_since IS NULL', { userId })
      .execute();
    const existing = await repo.findOneBy({ userId });
    if (existing?.enrollmentRequiredSince != null) return existing.enrollmentRequiredSince;
    try {
      await repo.insert({ userId, enrollmentRequiredSince: now, reenrollmentForcedAt: null });
      return now;
    } catch {
      return (await repo.findOneBy({ userId }))?.enrollmentRequiredSince ?? now; // a concurrent request inserted it first
    }
  }

  async setReenrollmentForced(userId: string, at: number | null): Promise<void> {
    const updated = await this.sql
      .update(MfaUserStateEntity)
      .set({ reenrollmentForcedAt: at })
      .where('user_id = :userId', { userId })
      .execute();
    if (updated.affected) return;
    try {
      await this.sql
        .repository(MfaUserStateEntity)
        .insert({ userId, enrollmentRequiredSince: null, reenrollmentForcedAt: at });
    } catch {
      await this.sql
        .update(MfaUserStateEntity)
        .set({ reenrollmentForcedAt: at })
        .where('user_id = :userId', { userId })
        .execute();
    }
  }
}
