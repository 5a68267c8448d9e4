// Style: fixed, parameterised SQL through the SqlRunner, one text per kind and dialect.
import type { DataSource } from 'typeorm';
import type { RetentionKind, RetentionStore } from '../../../core/src/retention/retention.port';
import { SqlRunner } from '../sql-runner';

interface Shape {
  table: string;
  /** When a row (alias `f`) is dead; each `?` is the cutoff. */
  where: string;
  /** The order a batch is taken in: the indexed column the range is read from. */
  order: string;
  /** The primary key, by which MySQL deletes a batch it read. */
  key: string[];
  /** What MySQL re-checks on each row as it deletes it (the session table also joins itself). */
  recheck: string;
}

const shape = (table: string, where: string, order: string): Shape => ({
  table,
  where,
  order,
  key: ['id'],
  recheck: where,
});

/**
 * Short-lived rows (minutes) go by their expiry alone, one range on an indexed column: a
 * finished challenge, spent code or used grant is harmless until then and goes within its TTL
 * after. Long-lived rows (devices, tickets: days) also go once revoked or redeemed; those
 * tables hold a few rows per user.
 */
const SHAPES: Record<RetentionKind, Shape> = {
  challenges: shape('mfa_challenges', 'f.expires_at < ?', 'f.expires_at'),
  // SMS and email codes, and WebAuthn challenges (channel 'webauthn'), in one table.
  otpCodes: shape('mfa_otp_codes', 'f.expires_at < ?', 'f.expires_at'),
  grants: shape('mfa_grants', 'f.expires_at < ?', 'f.expires_at'),
  trustedDevices: shape('mfa_trusted_devices', '(f.expires_at < ? OR f.revoked_at < ?)', 'f.id'),
  recoveryTickets: shape('mfa_recovery_tickets', '(f.expires_at < ? OR f.redeemed_at < ?)', 'f.id'),
  auditEvents: shape('mfa_audit_events', 'f.at < ?', 'f.at'),
  exemptions: shape('mfa_exemptions', '(f.expires_at < ? OR f.revoked_at < ?)', 'f.id'),
  // A session keeps all its verifications while any of them is recent: a chain may still be
  // met by an old first step, so only sessions whose newest verification is old go, whole.
  sessionVerifications: {
    table: 'mfa_session_factors',
    where:
      'f.verified_at < ? AND NOT EXISTS (SELECT 1 FROM mfa_session_factors g WHERE g.session_ref = f.session_ref AND g.verified_at >= ?)',
    order: 'f.verified_at',
    key: ['session_ref', 'factor'],
    recheck: 'f.verified_at < ?', // and no newer sibling: a self-join (pruneMysql)
  },
};

const cutoffsIn = (sql: string) => sql.split('?').length - 1;

/**
 * Deletes dead rows of the TypeORM store's tables, a bounded batch per call, shaped per
 * dialect so instances pruning together neither fail nor wait on each other for long, and
 * each counts only the rows it deleted (the driver's affected rows):
 * - PostgreSQL picks its batch with FOR UPDATE SKIP LOCKED: rows another prune holds are
 *   skipped, not waited for, and a row changed meanwhile is re-checked as it is locked.
 *   `= ANY(ARRAY(…))` has the planner fetch the batch by key (by ctid for the session table's
 *   composite key; a locked row keeps it) instead of hash-joining the whole table.
 * - MySQL/MariaDB: a plain read (no locks) picks the batch, then one DELETE by primary key
 *   re-checks each row. Locking only those rows, never a gap of an index range, it cannot
 *   deadlock a request's insert; two prunes that picked the same rows count each once.
 *   Session verifications re-check through a self-join on the session's primary-key prefix,
 *   which also locks the gap after that stale session's rows: a re-verification of that one
 *   session waits for the DELETE (or, as a deadlock victim, the DELETE is retried).
 * - PostgreSQL re-checks a session's newer verifications once more in the DELETE itself; a
 *   sibling committed while that statement runs is not seen (see `statement`).
 * - SQLite has one writer at a time, so a batch by rowid is already exclusive.
 * Built by the setup over the store's DataSource, so the store class needs no pruning methods.
 */
export class TypeOrmRetentionStore implements RetentionStore {
  private readonly sql: SqlRunner;
  private readonly texts = new Map<RetentionKind, string>();

  constructor(dataSource: DataSource | SqlRunner) {
    this.sql = dataSource instanceof SqlRunner ? dataSource : new SqlRunner(dataSource);
  }

  async pruneExpired(kind: RetentionKind, before: number, limit: number): Promise<number> {
    if (!Number.isInteger(limit) || limit < 1) return 0;
    const s = SHAPES[kind];
    const params = [...Array<number>(cutoffsIn(s.where)).fill(before), limit];
    if (this.sql.mysql) return this.pruneMysql(kind, s, params, before);
    let text = this.texts.get(kind);
    if (!text) this.texts.set(kind, (text = this.statement(kind, s)));
    // PostgreSQL re-checks the session's newer verifications on the row it deletes (below).
    return this.sql.write(text, this.sql.postgres && kind === 'sessionVerifications' ? [...params, before] : params);
  }

  private statement(kind: RetentionKind, { table, where, order }: Shape): string {
    const pick = (column: string) => `SELECT ${column} FROM ${table} f WHERE ${where} ORDER BY ${order} LIMIT ?`;
    if (!this.sql.postgres) return `DELETE FROM ${table} WHERE rowid IN (${pick('f.rowid')})`;
    if (kind !== 'sessionVerifications')
      return `DELETE FROM ${table} WHERE id = ANY(ARRAY(${pick('f.id')} FOR UPDATE OF f SKIP LOCKED))`;
    // The NOT EXISTS again on the row being deleted: READ COMMITTED re-evaluates the row
    // itself once locked, and this sees every sibling committed before the statement began.
    // A sibling committed in the milliseconds between the statement's start and its delete
    // is not seen (one snapshot per statement): that session loses its older steps and is
    // asked for them again, never let through (docs/operations.md#retention).
    return (
      `DELETE FROM ${table} t WHERE t.ctid = ANY(ARRAY(${pick('f.ctid')} FOR UPDATE OF f SKIP LOCKED)) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${table} g WHERE g.session_ref = t.session_ref AND g.verified_at >= ?)`
    );
  }

  private async pruneMysql(kind: RetentionKind, s: Shape, params: number[], before: number): Promise<number> {
    const rows = await this.sql.select<Record<string, unknown>>(
      `SELECT ${s.key.map((c) => `f.${c}`).join(', ')} FROM ${s.table} f WHERE ${s.where} ORDER BY ${s.order} LIMIT ?`,
      params,
    );
    if (!rows.length) return 0;
    const one = s.key.length === 1 ? '?' : `(${s.key.map(() => '?').join(', ')})`;
    const keysOf = (p: string) =>
      `${s.key.length === 1 ? p + s.key[0] : `(${s.key.map((c) => p + c).join(', ')})`} IN (${rows.map(() => one).join(', ')})`;
    const keyValues = rows.flatMap((r) => s.key.map((c) => r[c]));
    // `col + 0` keeps the optimiser on the primary key: a range on the expiry index would lock
    // its gaps too, and a request inserting a row there would wait on (or deadlock with) us.
    const recheckOf = (p: string) => s.recheck.replace(/\bf\.(\w+)/g, `${p}$1 + 0`);
    if (kind === 'sessionVerifications') {
      // A session may have verified again since the read: the join reads its rows as they are
      // now (a DELETE's reads lock, so they see the newest committed row, and wait for one
      // being written), through the primary key's session_ref prefix, not the time index.
      const sql =
        `DELETE f FROM ${s.table} f LEFT JOIN ${s.table} g ON g.session_ref = f.session_ref AND g.verified_at + 0 >= ? ` +
        `WHERE ${keysOf('f.')} AND ${recheckOf('f.')} AND g.session_ref IS NULL`;
      return this.retryingDeadlocks(() => this.sql.write(sql, [before, ...keyValues, before]));
    }
    const sql = `DELETE FROM ${s.table} WHERE ${keysOf('')} AND ${recheckOf('')}`;
    const values = [...keyValues, ...Array<number>(cutoffsIn(s.recheck)).fill(before)];
    return this.retryingDeadlocks(() => this.sql.write(sql, values));
  }

  /** A deadlock (InnoDB may still pick a prune as victim) undoes the whole statement, so running it again is safe. */
  private async retryingDeadlocks(run: () => Promise<number>): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (err) {
        if (attempt >= 5 || !isDeadlock(err)) throw err;
      }
    }
  }
}

function isDeadlock(err: unknown): boolean {
  const e = (err ?? {}) as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const codes = [e.code, e.driverError?.code, e.errno, e.driverError?.errno];
  return codes.some((c) => c === 'ER_LOCK_DEADLOCK' || c === 1213 || c === '40P01' || c === '40001');
}
