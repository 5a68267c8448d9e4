import type { SealedSecretCount } from '../../../core/src/ports/store/key-status.store';
import type { SqlRunner } from '../sql-runner';

/** Key status: one grouped count, the same rows `listEnrollmentsNotSealedWith` would rotate. */
export class KeyStatusQueries {
  constructor(private readonly sql: SqlRunner) {}

  async countSealedSecretsByKey(): Promise<SealedSecretCount[]> {
    const rows = await this.sql.select<{ key_id: string; n: number | string }>(
      `SELECT key_id, COUNT(*) AS n FROM mfa_enrollments WHERE sealed_secret <> '' GROUP BY key_id ORDER BY key_id`,
      [],
    );
    // PostgreSQL answers COUNT as a string (bigint).
    return rows.map((r) => ({ table: 'enrollments', keyId: r.key_id, rows: Number(r.n) }));
  }
}
