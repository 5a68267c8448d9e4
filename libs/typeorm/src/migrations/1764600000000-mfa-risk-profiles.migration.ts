import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { matchSiblingCollation } from './exact-collation';

const TABLE = 'mfa_risk_profiles';

/**
 * Risk profiles: per user, the minimum the risk engine's signals need (no IP addresses).
 * On MySQL/MariaDB the new table takes the exact, binary collation MfaExactText gave the
 * others, read off one of them, so user ids compare the same way everywhere.
 */
export class MfaRiskProfiles1764600000000 implements MigrationInterface {
  name = 'MfaRiskProfiles1764600000000';

  async up(q: QueryRunner): Promise<void> {
    const text = (name: string) => ({ name, type: 'text' });
    const nullable = (name: string, type: string, length?: number) => ({
      name,
      type,
      ...(length ? { length: String(length) } : {}),
      isNullable: true,
    });
    await q.createTable(
      new Table({
        name: TABLE,
        columns: [
          { name: 'user_id', type: 'varchar', length: '191', isPrimary: true },
          text('device_families'),
          text('countries'),
          text('hours'),
          nullable('last_latitude_tenths', 'int'),
          nullable('last_longitude_tenths', 'int'),
          nullable('last_accuracy_km', 'int'),
          nullable('last_country', 'varchar', 8),
          nullable('last_located_at', 'bigint'),
          { name: 'updated_at', type: 'bigint' },
        ],
        // Pruning finds the profiles nobody has updated within the retention window.
        indices: [{ name: 'idx_mfa_risk_profiles_updated', columnNames: ['updated_at'] }],
      }),
    );
    await matchSiblingCollation(q, TABLE, 'mfa_user_states');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable(TABLE, true);
  }
}
