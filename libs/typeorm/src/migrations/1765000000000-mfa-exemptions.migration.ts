import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { matchSiblingCollation } from './exact-collation';

const TABLE = 'mfa_exemptions';

/**
 * Per-user, time-boxed exemptions from mandatory enrollment or a policy rule. One index
 * serves the enforcer's and explain's read (a user's exemptions still in force: one range of
 * `user_id, expires_at`), another retention's bounded prune by expiry.
 */
export class MfaExemptions1765000000000 implements MigrationInterface {
  name = 'MfaExemptions1765000000000';

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
        name: TABLE,
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 191),
          varchar('scope', 16),
          varchar('rule_id', 64, true),
          varchar('reason', 512),
          varchar('granted_by', 191),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('revoked_at', true),
          varchar('revoked_by', 191, true),
        ],
        indices: [
          { name: 'idx_mfa_exemptions_user_expires', columnNames: ['user_id', 'expires_at'] },
          { name: 'idx_mfa_exemptions_expires', columnNames: ['expires_at'] },
        ],
      }),
    );
    // User ids compare exactly, as in every MFA table: `Bob` is never exempted by `bob`'s row.
    await matchSiblingCollation(q, TABLE, 'mfa_recovery_tickets');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable(TABLE, true);
  }
}
