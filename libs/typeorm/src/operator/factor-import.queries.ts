// Style: raw SQL in one transaction per user. The duplicate check is the enrollment insert's
// own condition (`… WHERE NOT EXISTS` an active TOTP row of the user), and on PostgreSQL and
// MySQL/MariaDB a per-user lock taken first makes two importers of one user queue, where two
// READ COMMITTED inserts could otherwise both see "none yet". SQLite has one writer at a time.
// The transaction is begun and ended with plain statements (not TypeORM's), for SQLite's
// BEGIN IMMEDIATE.
import { createHash } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import type {
  FactorImportOutcome,
  FactorImportStore,
  ImportedFactor,
} from '../../../core/src/ports/store/factor-import.store';
import type { SqlRunner } from '../sql-runner';

const UNUSED_CODES = 'SELECT COUNT(*) AS n FROM mfa_backup_codes WHERE user_id = ? AND used_at IS NULL';
const INSERT_IF_NO_TOTP =
  'INSERT INTO mfa_enrollments (id, user_id, type, status, label, sealed_secret, key_id, algorithm, digits, period, ' +
  'last_step, created_at, confirmed_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? ' +
  // MySQL refuses a subquery on the insert's own table without a derived table around it.
  'FROM (SELECT 1 AS one) x WHERE NOT EXISTS (SELECT 1 FROM (SELECT id FROM mfa_enrollments ' +
  "WHERE user_id = ? AND type = 'totp' AND status = 'active') t)";
const INSERT_CODE =
  'INSERT INTO mfa_backup_codes (id, user_id, code_hash, created_at, used_at) VALUES (?, ?, ?, ?, NULL)';

export class FactorImportQueries implements FactorImportStore {
  constructor(private readonly sql: SqlRunner) {}

  async importFactor({ enrollment: e, backupCodes }: ImportedFactor, now: number): Promise<FactorImportOutcome> {
    const runner = this.sql.dataSource.createQueryRunner();
    const run = (text: string, params: unknown[]) => runner.query(this.sql.text(text), params, true);
    const lock = lockName(e.userId);
    try {
      await runner.connect();
      // A MySQL named lock belongs to the connection, not the transaction: taken before it
      // starts and released after it ends, so no second importer runs between commit and release.
      if (this.sql.mysql) {
        const [{ got }] = (await run('SELECT GET_LOCK(?, 60) AS got', [lock.name])).records as Array<{ got: unknown }>;
        if (Number(got) !== 1) throw new Error(`Another import of user ${e.userId} held its lock for 60 s.`);
      }
      await this.begin(runner);
      try {
        if (this.sql.postgres) await run('SELECT pg_advisory_xact_lock(?)', [lock.key]);
        const outcome = await this.write(run, e, backupCodes, now);
        await runner.query(outcome === 'imported' ? 'COMMIT' : 'ROLLBACK');
        return outcome;
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      if (this.sql.mysql && !runner.isReleased) await run('SELECT RELEASE_LOCK(?)', [lock.name]).catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * SQLite: BEGIN IMMEDIATE takes the write lock first, waiting out the busy timeout behind
   * another process's writes; a deferred transaction that read first would instead fail at
   * once when it tries to write. Elsewhere the ordinary BEGIN, and the per-user lock.
   */
  private begin(runner: QueryRunner): Promise<unknown> {
    return runner.query(this.sql.postgres || this.sql.mysql ? 'START TRANSACTION' : 'BEGIN IMMEDIATE');
  }

  private async write(
    run: (text: string, params: unknown[]) => Promise<{ records: unknown[]; affected?: number }>,
    e: ImportedFactor['enrollment'],
    backupCodes: ImportedFactor['backupCodes'],
    now: number,
  ): Promise<FactorImportOutcome> {
    const profile = e.profile!;
    const inserted = await run(INSERT_IF_NO_TOTP, [
      e.id,
      e.userId,
      'totp',
      'active',
      e.label,
      e.sealedSecret,
      e.keyId,
      profile.algorithm,
      profile.digits,
      profile.period,
      e.lastStep,
      e.createdAt,
      e.confirmedAt ?? now,
      e.userId,
    ]);
    if (inserted.affected !== 1) return 'has_totp';
    if (backupCodes.length) {
      const [{ n }] = (await run(UNUSED_CODES, [e.userId])).records as Array<{ n: unknown }>;
      if (Number(n) > 0) return 'has_backup_codes';
    }
    for (const code of backupCodes) await run(INSERT_CODE, [code.id, e.userId, code.codeHash, now]);
    return 'imported';
  }
}

/** One user's lock: a 64-bit key for PostgreSQL's advisory locks, a name within MySQL's 64 characters. */
function lockName(userId: string): { key: string; name: string } {
  const digest = createHash('sha256').update(`nestjs-mfa|import|${userId}`).digest();
  return { key: digest.readBigInt64BE(0).toString(), name: `mfa-import:${digest.toString('hex', 0, 20)}` };
}
