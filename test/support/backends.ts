import { DataSource, DataSourceOptions } from 'typeorm';

/**
 * SQLite always; PostgreSQL and MariaDB when their URLs are set:
 *   MFA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test
 *   MFA_TEST_MARIADB_URL=mysql://root@127.0.0.1:3306/test
 */
export interface Backend {
  name: string;
  options: DataSourceOptions;
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', options: { type: 'better-sqlite3', database: ':memory:' } },
  ...(process.env.MFA_TEST_POSTGRES_URL
    ? [{ name: 'postgres', options: { type: 'postgres', url: process.env.MFA_TEST_POSTGRES_URL } as DataSourceOptions }]
    : []),
  ...(process.env.MFA_TEST_MARIADB_URL
    ? [{ name: 'mariadb', options: { type: 'mariadb', url: process.env.MFA_TEST_MARIADB_URL } as DataSourceOptions }]
    : []),
];

// `migrations` is TypeORM's default table, used by the host-DataSource suite.
const MFA_TABLES = [
  'mfa_exemptions',
  'mfa_risk_profiles',
  'mfa_policy_report_only',
  'mfa_trusted_devices',
  'mfa_recovery_tickets',
  'mfa_user_states',
  'mfa_otp_codes',
  'mfa_counters',
  'mfa_grants',
  'mfa_policy_versions',
  'mfa_policy_activations',
  'mfa_audit_events',
  'mfa_session_factors',
  'mfa_challenges',
  'mfa_backup_codes',
  'mfa_enrollments',
  'mfa_migrations',
  'migrations',
];

/** Shared servers keep tables between suites; every suite starts from an empty schema. */
export async function resetDatabase(backend: Backend): Promise<void> {
  if (backend.options.type === 'better-sqlite3') return;
  const ds = await new DataSource(backend.options).initialize();
  try {
    for (const table of MFA_TABLES) await ds.query(`DROP TABLE IF EXISTS ${table}`);
  } finally {
    await ds.destroy();
  }
}
