import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

export type Sql = [sql: string, params: unknown[]];

const SESSION_FACTOR_UPSERT =
  'INSERT INTO mfa_session_factors (session_ref, factor, user_id, verified_at, event_id, baseline, assurance) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
  'ON CONFLICT (session_ref, factor) DO UPDATE SET user_id = excluded.user_id, verified_at = excluded.verified_at, event_id = excluded.event_id, baseline = excluded.baseline, assurance = excluded.assurance';
const SESSION_FACTOR_UPSERT_MYSQL =
  'INSERT INTO mfa_session_factors (session_ref, factor, user_id, verified_at, event_id, baseline, assurance) VALUES (?, ?, ?, ?, ?, ?, ?) ' +
  'ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), verified_at = VALUES(verified_at), event_id = VALUES(event_id), baseline = VALUES(baseline), assurance = VALUES(assurance)';

/**
 * The one SQL helper every repository shares. The hot paths run fixed, parameterised SQL:
 * no query building or entity mapping per request, and the same text every time, so
 * drivers reuse their prepared statements. Texts are written with `?` and numbered here
 * for PostgreSQL, once per text.
 */
export class SqlRunner {
  private readonly texts = new Map<string, string>();

  constructor(readonly dataSource: DataSource) {}

  get postgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  get mysql(): boolean {
    return this.dataSource.options.type === 'mysql' || this.dataSource.options.type === 'mariadb';
  }

  /** The upsert of one session verification in this dialect (newest wins). */
  get sessionFactorUpsert(): string {
    return this.mysql ? SESSION_FACTOR_UPSERT_MYSQL : SESSION_FACTOR_UPSERT;
  }

  text(sql: string): string {
    if (!this.postgres) return sql;
    let numbered = this.texts.get(sql);
    if (!numbered) {
      let n = 0;
      this.texts.set(sql, (numbered = sql.replace(/\?/g, () => `$${++n}`)));
    }
    return numbered;
  }

  select<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.query(this.text(sql), params);
  }

  /** Runs a write and returns the affected-row count, the answer of every spending method. */
  async write(sql: string, params: unknown[]): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.query(this.text(sql), params, true)).affected ?? 0;
    } finally {
      await runner.release();
    }
  }

  update<T extends ObjectLiteral>(entity: EntityTarget<T>) {
    return this.dataSource.createQueryBuilder().update(entity);
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>) {
    return this.dataSource.getRepository(entity);
  }
}
