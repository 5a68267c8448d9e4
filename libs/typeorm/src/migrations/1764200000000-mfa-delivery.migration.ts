import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/** SMS and email codes with their delivery status; masked targets of bound phones and addresses. */
export class MfaDelivery1764200000000 implements MigrationInterface {
  name = 'MfaDelivery1764200000000';

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
        name: 'mfa_otp_codes',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 191),
          varchar('channel', 16),
          varchar('enrollment_id', 36),
          varchar('purpose', 191),
          varchar('code_digest', 128),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('consumed_at', true),
          varchar('provider', 32, true),
          varchar('message_id', 191, true),
          varchar('delivery_status', 32, true),
          bigint('status_at', true),
        ],
        indices: [
          { name: 'idx_mfa_otp_codes_purpose', columnNames: ['user_id', 'purpose'] },
          { name: 'idx_mfa_otp_codes_message', columnNames: ['provider', 'message_id'] },
        ],
      }),
    );
    await q.addColumn('mfa_enrollments', new TableColumn(varchar('masked_target', 255, true)));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('mfa_enrollments', 'masked_target');
    await q.dropTable('mfa_otp_codes', true);
  }
}
