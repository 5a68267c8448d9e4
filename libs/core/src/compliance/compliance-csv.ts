import type { ComplianceReport } from './compliance-report.types';

const HEADER = [
  'finding',
  'user_id',
  'groups',
  'status',
  'grace_days_left',
  'grace_ends_at',
  'factors',
  'backup_codes_left',
  'exempt_until',
  'exemption_id',
];

/**
 * One line per finding, the same columns for every kind so a spreadsheet can filter on
 * `finding`. Groups and factors are `;`-separated. Text cells a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab, CR) get a leading `'`: user ids and groups come from the host.
 */
export function complianceCsv(report: ComplianceReport): string {
  const rows: Array<Array<string | number | null>> = [HEADER];
  for (const m of report.missingFactor)
    rows.push([
      'missing_factor',
      m.userId,
      m.groups?.join(';') ?? '',
      m.status,
      m.graceDaysLeft,
      m.graceEndsAt,
      '',
      null,
      m.exemptUntil,
      m.exemptionId,
    ]);
  for (const w of report.weakFactorsOnly)
    rows.push(['weak_factors_only', w.userId, '', '', null, null, w.factors.join(';'), null, null, null]);
  for (const l of report.lowBackupCodes)
    rows.push(['low_backup_codes', l.userId, '', '', null, null, '', l.remaining, null, null]);
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
