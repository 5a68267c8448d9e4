import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

const TABLE = 'mfa_policy_report_only';
const AUDIT_COLUMNS = ['replay', 'report_only'];

/**
 * Report-only policy runs, in a table of their own so no reader of `mfa_policy_activations`
 * can mistake one for the enforcing version; and, on audit events, the compact record a
 * decision can be replayed from (what-if) plus a report-only verdict. Both are JSON text.
 */
export class MfaPolicyReportOnly1764700000000 implements MigrationInterface {
  name = 'MfaPolicyReportOnly1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: TABLE,
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'version', type: 'int' },
          { name: 'actor', type: 'varchar', length: '191' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'recorded_at', type: 'bigint' },
        ],
      }),
    );
    for (const name of AUDIT_COLUMNS)
      await q.addColumn('mfa_audit_events', new TableColumn({ name, type: 'text', isNullable: true }));
    await matchSiblingCollation(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [...AUDIT_COLUMNS].reverse()) await q.dropColumn('mfa_audit_events', name);
    await q.dropTable(TABLE, true);
  }
}

/**
 * On MySQL/MariaDB a new table takes the database's default collation, not the exact one
 * MfaExactText gave every MFA table: it takes the one its sibling `mfa_policy_activations`
 * has, whichever that is on this server.
 */
async function matchSiblingCollation(q: QueryRunner): Promise<void> {
  const type = q.connection.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return;
  const [row] = (await q.query(
    `SELECT TABLE_COLLATION AS collation FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mfa_policy_activations'`,
  )) as Array<{ collation: string | null }>;
  const collation = row?.collation;
  if (!collation || !/^utf8mb4_[a-z0-9_]+$/.test(collation)) return;
  await q.query(`ALTER TABLE \`${TABLE}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`);
}
