import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** Trusted devices, help-desk recovery tickets, per-user enrollment state. */
export class MfaLifecycle1764300000000 implements MigrationInterface {
  name = 'MfaLifecycle1764300000000';

  async up(q: QueryRunner): Promise<void> {
    const varchar = (name: string, length: number, isNullable = false) => ({
      name,
      type: 'varchar',
      length: String(length),
      isNullable,
    });
    const bigint = (name: string, isNullable = false) => ({ name, type: 'bigint', isNullable });
    await q.createTable(
      new Table({
        name: 'mfa_trusted_devices',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 191),
          varchar('token_digest', 128),
          varchar('fingerprint_digest', 128),
          varchar('label', 64),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('last_seen_at'),
          bigint('revoked_at', true),
          varchar('revoked_reason', 191, true),
        ],
        indices: [{ name: 'idx_mfa_trusted_devices_user', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_recovery_tickets',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 191),
          varchar('code_digest', 128),
          varchar('issued_by', 191),
          varchar('reason', 512, true),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('redeemed_at', true),
        ],
        indices: [{ name: 'idx_mfa_recovery_tickets_user', columnNames: ['user_id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_user_states',
        columns: [
          { ...varchar('user_id', 191), isPrimary: true },
          bigint('enrollment_required_since', true),
          bigint('reenrollment_forced_at', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['mfa_user_states', 'mfa_recovery_tickets', 'mfa_trusted_devices'])
      await q.dropTable(table, true);
  }
}
