import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/** Policy versions and their activation history, single-use grants, verification baselines. */
export class MfaPolicy1764000000000 implements MigrationInterface {
  name = 'MfaPolicy1764000000000';

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
        name: 'mfa_grants',
        columns: [
          { ...varchar('id', 36), isPrimary: true },
          varchar('user_id', 191),
          varchar('session_ref', 64),
          varchar('scope', 191),
          varchar('factor', 32),
          varchar('event_id', 36),
          bigint('created_at'),
          bigint('expires_at'),
          bigint('used_at', true),
        ],
        indices: [{ name: 'idx_mfa_grants_session_scope', columnNames: ['session_ref', 'scope'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_policy_versions',
        columns: [
          { name: 'version', type: 'int', isPrimary: true },
          varchar('author', 191),
          varchar('comment', 512, true),
          bigint('created_at'),
          varchar('content_hash', 64),
          { name: 'document', type: 'text' },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'mfa_policy_activations',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'version', type: 'int' },
          varchar('actor', 191),
          varchar('kind', 16),
          bigint('activated_at'),
        ],
      }),
    );
    await q.addColumns('mfa_session_factors', [
      new TableColumn(varchar('event_id', 36, true)),
      new TableColumn({ name: 'baseline', type: 'text', isNullable: true }),
    ]);
    await q.addColumns('mfa_audit_events', [
      new TableColumn({ name: 'policy_version', type: 'int', isNullable: true }),
      new TableColumn(varchar('rule_id', 191, true)),
      new TableColumn(varchar('actor', 191, true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('mfa_audit_events', ['policy_version', 'rule_id', 'actor']);
    await q.dropColumns('mfa_session_factors', ['event_id', 'baseline']);
    for (const table of ['mfa_policy_activations', 'mfa_policy_versions', 'mfa_grants']) await q.dropTable(table, true);
  }
}
