import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { complianceCsv } from '../../../core/src/compliance/compliance-csv';
import type { ComplianceReport, DirectoryUser } from '../../../core/src/compliance/compliance-report.types';
import { CliContext, CliRefusal, EXIT, RegisterCommand } from '../cli-context';

interface ComplianceFlags {
  format: string;
  users?: string;
  failOnGaps?: boolean;
}

/** A user id the store can hold (its columns are 191 characters). */
const MAX_USER_ID = 191;

/** `report compliance [--format json|csv] [--users <file>] [--fail-on-gaps]`. */
export const registerReport: RegisterCommand = (program, ctx) => {
  const report = program.command('report').description('reports over every user of the MFA store');
  report
    .command('compliance')
    .description(
      'who mandatory enrollment covers and has no factor (by group, with grace days left), ' +
        'who has only SMS or email, who has fewer than 3 backup codes',
    )
    .option('--format <format>', 'json or csv (the global --json always prints JSON)', 'json')
    .option(
      '--users <file>',
      "the host's users, a CSV (userId,groups; groups separated by ';') or JSON ([{ userId, groups }]) file: " +
        'without it the report covers only the users the store knows',
    )
    .option(
      '--fail-on-gaps',
      'exit 1 when anyone is overdue (for CI audits; a user with an enrollment exemption in force is not); ' +
        'the report is printed all the same',
    )
    .action((flags: ComplianceFlags) => compliance(ctx, flags));
};

async function compliance(ctx: CliContext, flags: ComplianceFlags): Promise<void> {
  if (flags.format !== 'json' && flags.format !== 'csv')
    throw new CliRefusal('USAGE', `--format must be json or csv, not "${flags.format}".`, EXIT.usage);
  const directory = flags.users ? await readDirectory(flags.users) : undefined;
  const { engine } = await ctx.open();
  const report = await engine.complianceReport({ directory });
  const overdue = flags.failOnGaps && report.totals.overdue > 0;
  // Under --json stdout holds one document: a failing audit carries the report in the refusal.
  if (overdue && ctx.output.json) throw gaps(report, report);
  ctx.output.result(report, flags.format === 'csv' ? complianceCsv(report).trimEnd() : JSON.stringify(report, null, 2));
  if (!ctx.output.json) ctx.output.note(summary(report));
  if (overdue) throw gaps(report);
}

function gaps(report: ComplianceReport, details?: ComplianceReport): CliRefusal {
  return new CliRefusal(
    'COMPLIANCE_GAPS',
    `${report.totals.overdue} user(s) covered by mandatory enrollment are overdue without a factor.`,
    EXIT.refused,
    details,
  );
}

function summary(r: ComplianceReport): string {
  const t = r.totals;
  const who = r.coverage === 'directory' ? 'users of the --users file' : 'users the store knows (no --users file)';
  return (
    `Checked ${t.usersChecked} ${who}: ${t.missingFactor} without a factor (${t.overdue} overdue, ${t.exempt} exempt), ` +
    `${t.weakFactorsOnly} with only SMS/email, ${t.lowBackupCodes} with fewer than 3 backup codes.`
  );
}

/**
 * The host's directory, checked whole before the store is opened: every bad row is reported
 * by its place in the file, and nothing is reported on a file with any.
 */
async function readDirectory(file: string): Promise<DirectoryUser[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliRefusal('USERS_FILE_UNREADABLE', `Cannot read ${file}: ${(err as Error).message}`, EXIT.refused);
  }
  const json = extname(file).toLowerCase() === '.json' || /^\s*[[{]/.test(text);
  let rows: Array<{ at: string; userId: unknown; groups: unknown }>;
  try {
    rows = json ? jsonRows(text) : csvRows(text);
  } catch (err) {
    throw new CliRefusal(
      'USERS_FILE_INVALID',
      `${file} is not valid ${json ? 'JSON' : 'CSV'}: ${(err as Error).message}`,
    );
  }
  const errors: Array<{ path: string; message: string }> = [];
  const seen = new Set<string>();
  const users: DirectoryUser[] = [];
  for (const row of rows) {
    const problem = badRow(row.userId, row.groups, seen);
    if (problem) errors.push({ path: row.at, message: problem });
    else {
      seen.add(row.userId as string);
      users.push({ userId: row.userId as string, groups: groupsOf(row.groups) });
    }
  }
  if (errors.length)
    throw new CliRefusal(
      'USERS_FILE_INVALID',
      `${errors.length} bad row(s) in ${file}; nothing was reported.`,
      EXIT.refused,
      {
        errors,
      },
    );
  return users;
}

function jsonRows(text: string): Array<{ at: string; userId: unknown; groups: unknown }> {
  const parsed: unknown = JSON.parse(text);
  const list = Array.isArray(parsed) ? parsed : (parsed as { users?: unknown })?.users;
  if (!Array.isArray(list)) throw new Error('expected an array of { userId, groups } (or { "users": [...] })');
  return list.map((u: Record<string, unknown> | null, i) => ({
    at: `$[${i}]`,
    userId: u?.userId,
    groups: u?.groups ?? [],
  }));
}

function csvRows(text: string): Array<{ at: string; userId: unknown; groups: unknown }> {
  const records = parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Array<
    Record<string, string>
  >;
  if (records.length && !('userId' in records[0]) && !('user_id' in records[0]))
    throw new Error('the header must name a userId (or user_id) column');
  // Line 1 is the header.
  return records.map((r, i) => ({ at: `line ${i + 2}`, userId: r.userId ?? r.user_id, groups: r.groups ?? '' }));
}

function badRow(userId: unknown, groups: unknown, seen: Set<string>): string | null {
  if (typeof userId !== 'string' || !userId.trim()) return 'userId is missing';
  if (userId.length > MAX_USER_ID) return `userId is longer than ${MAX_USER_ID} characters`;
  if (seen.has(userId)) return `userId ${JSON.stringify(userId)} is listed twice`;
  if (typeof groups === 'string') return null;
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))
    return "groups must be a list of strings (or one string, ';'-separated)";
  return null;
}

function groupsOf(groups: unknown): string[] {
  const list = typeof groups === 'string' ? groups.split(';') : (groups as string[]);
  return [...new Set(list.map((g) => g.trim()).filter(Boolean))];
}
