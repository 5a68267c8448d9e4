import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const TABLE = 'mfa_exemptions';
const COLUMN = 'rule_fingerprint';

/**
 * Binds a rule exemption to the rule as it was when granted (its fingerprint), so a later
 * policy version that reuses the id for a different rule is not lifted by it. Rows granted
 * before this column have none and lift nothing: fail closed, re-grant them if still needed.
 */
export class MfaExemptionRuleFingerprint1765100000000 implements MigrationInterface {
  name = 'MfaExemptionRuleFingerprint1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn(TABLE, new TableColumn({ name: COLUMN, type: 'varchar', length: '64', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn(TABLE, COLUMN);
  }
}
