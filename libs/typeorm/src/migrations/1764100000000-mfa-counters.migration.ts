import { MigrationInterface, QueryRunner, Table } from 'typeorm';

export class MfaCounters1764100000000 implements MigrationInterface {
  name = 'MfaCounters1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'mfa_counters',
        columns: [
          { name: 'counter_key', type: 'varchar', length: '191', isPrimary: true },
          { name: 'count', type: 'int' },
          { name: 'window_ends_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('mfa_counters', true);
  }
}
