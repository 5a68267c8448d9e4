import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The columns background retention prunes by, so each bounded DELETE reads one index range
 * instead of the whole table (and on MySQL/MariaDB locks only the rows it deletes, not every
 * row it scanned). Audit events are pruned by `at`, which the existing audit indexes lead
 * with the user or the type and so cannot serve.
 */
export const RETENTION_INDEXES: Array<[table: string, index: TableIndex]> = [
  ['mfa_challenges', new TableIndex({ name: 'idx_mfa_challenges_expires', columnNames: ['expires_at'] })],
  ['mfa_otp_codes', new TableIndex({ name: 'idx_mfa_otp_codes_expires', columnNames: ['expires_at'] })],
  ['mfa_grants', new TableIndex({ name: 'idx_mfa_grants_expires', columnNames: ['expires_at'] })],
  ['mfa_trusted_devices', new TableIndex({ name: 'idx_mfa_trusted_devices_expires', columnNames: ['expires_at'] })],
  ['mfa_recovery_tickets', new TableIndex({ name: 'idx_mfa_recovery_tickets_expires', columnNames: ['expires_at'] })],
  ['mfa_session_factors', new TableIndex({ name: 'idx_mfa_session_factors_verified', columnNames: ['verified_at'] })],
  ['mfa_audit_events', new TableIndex({ name: 'idx_mfa_audit_at', columnNames: ['at'] })],
];

export class MfaRetentionIndexes1764800000000 implements MigrationInterface {
  name = 'MfaRetentionIndexes1764800000000';

  /**
   * Skips an index that already exists under its name: on a large PostgreSQL table an
   * operator may build it beforehand with CREATE INDEX CONCURRENTLY (docs/operations.md#retention).
   */
  async up(q: QueryRunner): Promise<void> {
    for (const [table, index] of RETENTION_INDEXES) {
      const existing = await q.getTable(table);
      if (existing?.indices.some((i) => i.name === index.name)) continue;
      await q.createIndex(table, index);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, index] of RETENTION_INDEXES) await q.dropIndex(table, index.name!);
  }
}
