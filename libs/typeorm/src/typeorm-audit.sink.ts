import { DataSource } from 'typeorm';
import type { AuditEvent, AuditPage, AuditQuery, AuditReader, AuditSink } from '../../core/src';
import { AUDIT_INSERT, auditRowParams } from './audit-row';
import { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
import { SqlRunner } from './sql-runner';

/** Audit events as rows of `mfa_audit_events`, searchable for the admin audit API. */
export class TypeOrmAuditSink implements AuditSink, AuditReader {
  private readonly sql: SqlRunner;

  /**
   * `writtenByStoreCommit`: this table is the TypeORM store's own (same DataSource), so the
   * store writes a verification's events inside its commit; set by the setup for `audit: 'database'`.
   */
  constructor(
    private readonly dataSource: DataSource,
    options: { writtenByStoreCommit?: boolean } = {},
  ) {
    this.sql = new SqlRunner(dataSource);
    this.writtenByStoreCommit = options.writtenByStoreCommit === true;
  }

  readonly writtenByStoreCommit: boolean;

  async emit(e: AuditEvent): Promise<void> {
    await this.dataSource.query(this.sql.text(AUDIT_INSERT), auditRowParams(e));
  }

  async query(q: AuditQuery): Promise<AuditPage> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const qb = this.dataSource.getRepository(MfaAuditEventEntity).createQueryBuilder('e');
    if (q.userId) qb.andWhere('e.user_id = :userId', { userId: q.userId });
    if (q.type) qb.andWhere('e.type = :type', { type: q.type });
    if (q.from !== undefined) qb.andWhere('e.at >= :from', { from: q.from });
    if (q.to !== undefined) qb.andWhere('e.at < :to', { to: q.to });
    const [at, id] = (q.cursor ?? '').split(':');
    // `at <= cAt` repeats what the OR implies, as a bound an index range can start from: each
    // page then begins where the last ended, on (type, at, id) or (user_id, at), not at the top.
    if (q.cursor && /^\d+$/.test(at) && id)
      qb.andWhere('e.at <= :cAt AND (e.at < :cAt OR e.id < :cId)', { cAt: Number(at), cId: id });
    const rows = await qb
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const events = page.map((r) => {
      const event: AuditEvent & { id: string } = {
        id: r.id,
        at: r.at,
        type: r.type,
        severity: r.severity as AuditEvent['severity'],
      };
      for (const key of [
        'userId',
        'sessionRef',
        'channel',
        'outcome',
        'reason',
        'challengeId',
        'enrollmentId',
        'ip',
        'userAgent',
        'policyVersion',
        'ruleId',
        'actor',
      ] as const) {
        if (r[key] !== null && r[key] !== undefined) (event as unknown as Record<string, unknown>)[key] = r[key];
      }
      if (r.replay) event.replay = parsed(r.replay);
      if (r.reportOnly) event.reportOnly = parsed(r.reportOnly);
      return event;
    });
    const last = page.at(-1);
    return { events, nextCursor: rows.length > limit && last ? `${last.at}:${last.id}` : null };
  }
}

/** Written by `emit` above; a row edited by hand into something else reads as absent rather than failing the page. */
function parsed<T>(json: string): T | undefined {
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}
