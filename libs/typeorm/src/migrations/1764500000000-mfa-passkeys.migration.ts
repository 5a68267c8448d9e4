import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

const CREDENTIAL_INDEX = 'uq_mfa_enrollments_credential';
const ASSURED_TABLES = ['mfa_session_factors', 'mfa_grants'];

/**
 * Passkeys on enrollments, and the assurance (AAL, `amr`) each verification reached. On
 * MySQL/MariaDB an added column takes the table's default collation, which MfaExactText
 * made binary, so nothing here names one. Every dialect lets a unique index hold many
 * NULLs: only confirmed passkeys have a credential key.
 */
export class MfaPasskeys1764500000000 implements MigrationInterface {
  name = 'MfaPasskeys1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('mfa_enrollments', [
      new TableColumn({ name: 'credential_key', type: 'varchar', length: '64', isNullable: true }),
      // JSON: the passkey's public metadata, all but the credential key.
      new TableColumn({ name: 'details', type: 'text', isNullable: true }),
    ]);
    await q.createIndex(
      'mfa_enrollments',
      new TableIndex({ name: CREDENTIAL_INDEX, columnNames: ['credential_key'], isUnique: true }),
    );
    for (const table of ASSURED_TABLES)
      await q.addColumn(table, new TableColumn({ name: 'assurance', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ASSURED_TABLES) await q.dropColumn(table, 'assurance');
    await q.dropIndex('mfa_enrollments', CREDENTIAL_INDEX);
    await q.dropColumns('mfa_enrollments', ['credential_key', 'details']);
  }
}
