import type { QueryRunner } from 'typeorm';

/**
 * On MySQL/MariaDB a new table takes the database's default collation, not the exact one
 * MfaExactText gave every MFA table: this gives `table` the one its `sibling` has, whichever
 * that is on this server. A collation it cannot read (or does not recognise) fails the
 * migration: a table left case-insensitive would let `Bob` and `bob` share state.
 * Nothing to do on PostgreSQL and SQLite, which compare text exactly.
 */
export async function matchSiblingCollation(q: QueryRunner, table: string, sibling: string): Promise<void> {
  const type = q.connection.options.type;
  if (type !== 'mysql' && type !== 'mariadb') return;
  const [row] = (await q.query(
    `SELECT TABLE_COLLATION AS collation FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
    [sibling],
  )) as Array<{ collation: string | null }>;
  const collation = row?.collation;
  if (!collation || !/^utf8mb4_[a-z0-9_]+$/.test(collation))
    throw new Error(
      `Cannot give ${table} the collation of ${sibling} (read: ${collation ?? 'nothing'}); ` +
        'run the MFA migrations in order on a database where they created the MFA tables.',
    );
  await q.query(`ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`);
}
