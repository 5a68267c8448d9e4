import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every table so far; a later migration that creates a table must give it `utf8mb4_bin` too. */
const MFA_TABLES = [
  'mfa_enrollments',
  'mfa_backup_codes',
  'mfa_challenges',
  'mfa_session_factors',
  'mfa_audit_events',
  'mfa_grants',
  'mfa_policy_versions',
  'mfa_policy_activations',
  'mfa_counters',
  'mfa_otp_codes',
  'mfa_trusted_devices',
  'mfa_recovery_tickets',
  'mfa_user_states',
];

/**
 * MySQL and MariaDB compare text case- and accent-insensitively by default, and ignore
 * trailing spaces, so the host's users `Bob`, `bob` and `bob ` shared factors, counters and
 * verifications. A binary no-pad collation makes every comparison exact, as on PostgreSQL
 * and SQLite.
 */
export class MfaExactText1764400000000 implements MigrationInterface {
  name = 'MfaExactText1764400000000';

  async up(q: QueryRunner): Promise<void> {
    if (!isMysqlFamily(q)) return;
    const collation = await exactCollation(q);
    for (const table of MFA_TABLES)
      await q.query(`ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!isMysqlFamily(q)) return;
    for (const table of MFA_TABLES)
      await q.query(`ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  }
}

/** MariaDB's `utf8mb4_bin` still pads; its no-pad twin, or MySQL 8's, does not. */
async function exactCollation(q: QueryRunner): Promise<string> {
  const [{ version }] = (await q.query('SELECT VERSION() AS version')) as { version: string }[];
  if (/mariadb/i.test(version)) return 'utf8mb4_nopad_bin';
  return /^[89]\.|^\d{2,}\./.test(version) ? 'utf8mb4_0900_bin' : 'utf8mb4_bin';
}

function isMysqlFamily(q: QueryRunner): boolean {
  return q.connection.options.type === 'mysql' || q.connection.options.type === 'mariadb';
}
