// Invariant: a table a later migration creates on MySQL/MariaDB gets its sibling's exact
// collation or the migration fails; it is never left on the server's case-insensitive default.
import type { QueryRunner } from 'typeorm';
import { matchSiblingCollation } from './exact-collation';

function runner(type: string, collation: string | null | undefined) {
  const statements: string[] = [];
  const q = {
    connection: { options: { type } },
    query: async (sql: string) => {
      statements.push(sql);
      return /^SELECT/.test(sql.trim()) ? (collation === undefined ? [] : [{ collation }]) : [];
    },
  } as unknown as QueryRunner;
  return { q, statements };
}

describe('matchSiblingCollation', () => {
  it("gives the table its sibling's collation on MySQL and MariaDB", async () => {
    for (const type of ['mysql', 'mariadb']) {
      const { q, statements } = runner(type, 'utf8mb4_nopad_bin');
      await matchSiblingCollation(q, 'mfa_new', 'mfa_old');
      expect(statements.at(-1)).toBe(
        'ALTER TABLE `mfa_new` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin',
      );
    }
  });

  it('fails the migration when the collation cannot be read or is not a utf8mb4 one', async () => {
    for (const collation of [undefined, null, 'latin1_swedish_ci', 'utf8mb4_bin; DROP TABLE x']) {
      const { q, statements } = runner('mariadb', collation);
      await expect(matchSiblingCollation(q, 'mfa_new', 'mfa_old')).rejects.toThrow(
        /Cannot give mfa_new the collation of mfa_old/,
      );
      expect(statements.some((s) => s.startsWith('ALTER'))).toBe(false);
    }
  });

  it('does nothing on PostgreSQL and SQLite, which compare text exactly', async () => {
    for (const type of ['postgres', 'better-sqlite3']) {
      const { q, statements } = runner(type, undefined);
      await matchSiblingCollation(q, 'mfa_new', 'mfa_old');
      expect(statements).toEqual([]);
    }
  });
});
