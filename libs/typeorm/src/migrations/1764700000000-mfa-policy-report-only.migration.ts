import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { matchSiblingCollation } from './exact-collation';

const TABLE = 'mfa_policy_report_only';
const AUDIT_COLUMNS = ['replay', 'report_only'];
/** What-if reads one event type at a time, newest first, by (at, id) cursor: this index serves exactly that. */
const AUDIT_TYPE_INDEX = new TableIndex({ name: 'idx_mfa_audit_type_at_id', columnNames: ['type', 'at', 'id'] });

/**
 * Report-only policy runs, in a table of their own so no reader of `mfa_policy_activations`
 * can mistake one for the enforcing version; and, on audit events, the compact record a
 * decision can be replayed from (what-if) plus a report-only verdict, both JSON text, and an
 * index by type and time, so a what-if's pages do not each scan and sort the whole trail.
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
    await q.createIndex('mfa_audit_events', AUDIT_TYPE_INDEX);
    await matchSiblingCollation(q, TABLE, 'mfa_policy_activations');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('mfa_audit_events', AUDIT_TYPE_INDEX.name!);
    for (const name of [...AUDIT_COLUMNS].reverse()) await q.dropColumn('mfa_audit_events', name);
    await q.dropTable(TABLE, true);
  }
}
