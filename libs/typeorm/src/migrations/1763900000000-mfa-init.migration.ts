import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const userId = (nullable = false): TableColumnOptions => ({
  name: 'user_id',
  type: 'varchar',
  length: '191',
  isNullable: nullable,
});
const epoch = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
const text = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

/**
 * The schema through TypeORM's portable Table API, so one migration serves SQLite,
 * PostgreSQL and MySQL/MariaDB. Times are epoch milliseconds in BIGINT.
 */
export class MfaInit1763900000000 implements MigrationInterface {
  name = 'MfaInit1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'mfa_enrollments',
        columns: [
          id,
          userId(),
          text('type', 32),
          text('status', 16),
          text('label', 191, true),
          { name: 'sealed_secret', type: 'text' },
          text('key_id', 32),
          text('algorithm', 16),
          { name: 'digits', type: 'int' },
          { name: 'period', type: 'int' },
          epoch('last_step', true),
          epoch('created_at'),
          epoch('confirmed_at', true),
          epoch('last_used_at', true),
        ],
        indices: [{ name: 'idx_mfa_enrollments_user', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_backup_codes',
        columns: [id, userId(), text('code_hash', 255), epoch('created_at'), epoch('used_at', true)],
        indices: [{ name: 'idx_mfa_backup_codes_user', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_challenges',
        columns: [
          id,
          userId(),
          text('session_ref', 64),
          text('purpose', 191),
          { name: 'requirement', type: 'text' },
          text('status', 16),
          epoch('created_at'),
          epoch('expires_at'),
          epoch('completed_at', true),
        ],
        indices: [{ name: 'idx_mfa_challenges_session', columnNames: ['session_ref', 'purpose'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_session_factors',
        columns: [
          { ...text('session_ref', 64), isPrimary: true },
          { ...text('factor', 32), isPrimary: true },
          userId(),
          epoch('verified_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_audit_events',
        columns: [
          id,
          epoch('at'),
          text('type', 64),
          text('severity', 16),
          userId(true),
          text('session_ref', 64, true),
          text('channel', 32, true),
          text('outcome', 16, true),
          text('reason', 191, true),
          text('challenge_id', 36, true),
          text('enrollment_id', 36, true),
          text('ip', 64, true),
          text('user_agent', 512, true),
        ],
        indices: [{ name: 'idx_mfa_audit_user_at', columnNames: ['user_id', 'at'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'mfa_audit_events',
      'mfa_session_factors',
      'mfa_challenges',
      'mfa_backup_codes',
      'mfa_enrollments',
    ]) {
      await q.dropTable(table, true);
    }
  }
}
