import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../core/src';

// One column list and one row shape for every writer of `mfa_audit_events`: the audit sink,
// and a verification's commit, which writes its events in its own transaction.

const COLUMNS = [
  'id',
  'at',
  'type',
  'severity',
  'user_id',
  'session_ref',
  'channel',
  'outcome',
  'reason',
  'challenge_id',
  'enrollment_id',
  'ip',
  'user_agent',
  'policy_version',
  'rule_id',
  'actor',
  'replay',
  'report_only',
] as const;

/** PostgreSQL types a bare parameter in a SELECT list as text: the numeric columns need a cast. */
const CASTS: Partial<Record<(typeof COLUMNS)[number], string>> = { at: 'BIGINT', policy_version: 'INTEGER' };

export const AUDIT_INSERT = `INSERT INTO mfa_audit_events (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;

/** The insert as `INSERT … SELECT … FROM <source>`: written only when `source` has a row. */
export const auditInsertFrom = (source: string): string =>
  `INSERT INTO mfa_audit_events (${COLUMNS.join(', ')}) SELECT ${COLUMNS.map((c) =>
    CASTS[c] ? `CAST(? AS ${CASTS[c]})` : '?',
  ).join(', ')} FROM ${source}`;

/** The row's values in column order; long free text is cut to its column's width. */
export function auditRowParams(e: AuditEvent): unknown[] {
  return [
    randomUUID(),
    e.at,
    e.type,
    e.severity,
    e.userId ?? null,
    e.sessionRef ?? null,
    e.channel ?? null,
    e.outcome ?? null,
    e.reason?.slice(0, 191) ?? null,
    e.challengeId ?? null,
    e.enrollmentId ?? null,
    e.ip?.slice(0, 64) ?? null,
    e.userAgent?.slice(0, 512) ?? null,
    e.policyVersion ?? null,
    e.ruleId ?? null,
    e.actor ?? null,
    e.replay ? JSON.stringify(e.replay) : null,
    e.reportOnly ? JSON.stringify(e.reportOnly) : null,
  ];
}
