// Style: the query builder and repository API; a grant is rare (one per `maxAge: 0`
// operation), and its spend is still one conditional UPDATE decided by affected rows.
import type { GrantRecord, GrantStore } from '../../../core/src';
import { MfaGrantEntity } from '../entities/mfa-grant.entity';
import type { SqlRunner } from '../sql-runner';
import { assuranceColumn, assuranceFrom } from '../typeorm-record.mappers';

export class GrantRepository implements GrantStore {
  constructor(private readonly sql: SqlRunner) {}

  async createGrant(r: GrantRecord): Promise<void> {
    await this.sql.repository(MfaGrantEntity).insert({ ...r, assurance: assuranceColumn(r.assurance), usedAt: null });
  }

  async listUnspentGrants(userId: string, sessionRef: string, scope: string, now: number): Promise<GrantRecord[]> {
    const rows = await this.sql
      .repository(MfaGrantEntity)
      .createQueryBuilder('g')
      .where('g.session_ref = :sessionRef AND g.scope = :scope AND g.user_id = :userId', { sessionRef, scope, userId })
      .andWhere('g.used_at IS NULL AND g.expires_at > :now', { now })
      .orderBy('g.created_at', 'ASC')
      .getMany();
    return rows.map(({ usedAt: _usedAt, assurance, ...g }) => ({
      ...g,
      factor: g.factor as GrantRecord['factor'],
      ...assuranceFrom(assurance),
    }));
  }

  async consumeGrant(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.sql
      .update(MfaGrantEntity)
      .set({ usedAt: now })
      .where('id = :id AND user_id = :userId AND used_at IS NULL AND expires_at > :now', { id, userId, now })
      .execute();
    return result.affected === 1;
  }
}
