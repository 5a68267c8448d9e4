import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { MfaError } from '../errors/mfa.error';
import { isOperatorStore } from '../ports/operator-store.port';
import type { ComplianceFacts, ComplianceStore } from '../ports/store/compliance.store';
import { isExemptionStore } from '../ports/store/exemption.store';
import type { ExemptionRecord, ExemptionStore } from '../ports/store/exemption.store';
import type {
  ComplianceOptions,
  CompliancePolicy,
  ComplianceReport,
  DirectorySource,
  DirectoryUser,
  MissingFactorEntry,
} from './compliance-report.types';
import { decodeComplianceCursor, encodeComplianceCursor } from './compliance-cursor';
import { missingFactor, noFacts } from './compliance-findings';

/** Fewer unused backup codes than this is "running out" in the report (the user is told at 2). */
export const LOW_BACKUP_CODES = 3;
const DAY_MS = 86_400_000;
const DEFAULT_BATCH = 500;
const MAX_BATCH = 5_000;
/** Users per page when a caller pages without saying how many. */
export const DEFAULT_COMPLIANCE_PAGE = 1_000;
const WEAK = new Set<string>(['sms', 'email']);

/** The store's compliance reads; a custom store without them refuses with OPERATOR_STORE_UNAVAILABLE. */
export function complianceStoreOf(store: unknown): ComplianceStore {
  if (!isOperatorStore(store)) throw new MfaError('OPERATOR_STORE_UNAVAILABLE');
  return store;
}

/**
 * Who mandatory enrollment covers and still has no factor (with the grace left, by the
 * enforcer's arithmetic), who has only the weaker factors, and who is running out of
 * backup codes. Reads the store in bounded pages, each page's enrollment exemptions in one
 * more read (an exempt user is shown `exempt`, never overdue); only the findings are kept in memory.
 */
export async function buildComplianceReport(
  store: ComplianceStore,
  policy: CompliancePolicy,
  now: number,
  options: ComplianceOptions = {},
): Promise<ComplianceReport> {
  const batch = Math.min(Math.max(Math.trunc(options.batchSize ?? DEFAULT_BATCH), 1), MAX_BATCH);
  const paged = options.limit !== undefined || options.cursor !== undefined;
  if (paged && options.directory)
    throw new MfaConfigurationError(
      'complianceReport: `limit` and `cursor` page the users the store knows; with a `directory`, pass a slice of it instead.',
    );
  const rule = policy.enrollment;
  const report: ComplianceReport = {
    generatedAt: new Date(now).toISOString(),
    policyVersion: policy.version,
    coverage: options.directory ? 'directory' : 'store',
    mandatoryEnrollment: rule
      ? { everyone: rule.everyone, groups: [...rule.groups], graceDays: rule.graceMs / DAY_MS }
      : null,
    totals: { usersChecked: 0, missingFactor: 0, overdue: 0, exempt: 0, weakFactorsOnly: 0, lowBackupCodes: 0 },
    byGroup: [],
    missingFactor: [],
    weakFactorsOnly: [],
    lowBackupCodes: [],
    nextCursor: null,
  };
  const groups = new Map<string, { missingFactor: number; overdue: number; exempt: number }>();
  const exemptions = isExemptionStore(store) ? store : null;
  const takePage = async (page: Array<{ facts: ComplianceFacts; user: DirectoryUser | null }>) => {
    const missing = page.map(({ facts, user }) => missingFactor(facts, user, rule, now));
    // Forced re-enrollment is the one gap an exemption does not lift (as in the enforcer).
    const liftable = missing.filter((m): m is MissingFactorEntry => !!m && m.status !== 'reenrollment_forced');
    const exempt = await enrollmentExemptions(exemptions, liftable, now);
    for (const m of liftable) {
      const e = exempt.get(m.userId);
      if (!e) continue;
      m.status = 'exempt';
      m.overdue = false;
      m.exemptUntil = new Date(e.expiresAt).toISOString();
      m.exemptionId = e.id;
    }
    page.forEach(({ facts }, i) => tally(facts, missing[i]));
  };
  const tally = (facts: ComplianceFacts, missing: MissingFactorEntry | null) => {
    report.totals.usersChecked++;
    if (missing) {
      report.missingFactor.push(missing);
      for (const g of missing.groups === null ? ['(unknown)'] : missing.groups.length ? missing.groups : ['(none)']) {
        const count = groups.get(g) ?? { missingFactor: 0, overdue: 0, exempt: 0 };
        count.missingFactor++;
        if (missing.overdue) count.overdue++;
        if (missing.status === 'exempt') count.exempt++;
        groups.set(g, count);
      }
    }
    if (facts.activeFactors.length && facts.activeFactors.every((f) => WEAK.has(f)))
      report.weakFactorsOnly.push({
        userId: facts.userId,
        factors: [...facts.activeFactors].sort() as Array<'sms' | 'email'>,
      });
    if (facts.backupCodesLeft !== null && facts.backupCodesLeft < LOW_BACKUP_CODES)
      report.lowBackupCodes.push({ userId: facts.userId, remaining: facts.backupCodesLeft });
  };

  if (options.directory) {
    for await (const page of pages(options.directory, batch)) {
      const found = new Map((await store.findComplianceFacts(page.map((u) => u.userId))).map((f) => [f.userId, f]));
      await takePage(page.map((user) => ({ facts: found.get(user.userId) ?? noFacts(user.userId), user })));
    }
  } else {
    let after = options.cursor === undefined ? null : decodeComplianceCursor(options.cursor);
    let left = paged ? pageLimit(options.limit) : Infinity;
    for (;;) {
      const want = Math.min(batch, left);
      const page = await store.listComplianceFacts(after, want);
      await takePage(page.map((facts) => ({ facts, user: null })));
      left -= page.length;
      if (page.length < want) break;
      after = page[page.length - 1].userId;
      // A full last page may be followed by none: the next call answers empty with no cursor.
      if (left === 0) {
        report.nextCursor = encodeComplianceCursor(after);
        break;
      }
    }
  }

  report.byGroup = [...groups]
    .map(([group, count]) => ({ group, ...count }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  report.totals.missingFactor = report.missingFactor.length;
  report.totals.overdue = report.missingFactor.filter((m) => m.overdue).length;
  report.totals.exempt = report.missingFactor.filter((m) => m.status === 'exempt').length;
  report.totals.weakFactorsOnly = report.weakFactorsOnly.length;
  report.totals.lowBackupCodes = report.lowBackupCodes.length;
  return report;
}

function pageLimit(limit: number | undefined): number {
  const n = limit ?? DEFAULT_COMPLIANCE_PAGE;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH)
    throw new MfaError('VALIDATION_FAILED', {
      errors: [{ field: 'limit', problems: [`limit must be a whole number from 1 to ${MAX_BATCH}`] }],
    });
  return n;
}

/**
 * The enrollment exemption in force for each of these users, the longest-running one, in one
 * read per page. A store without the exemption slice has none: nobody is exempt.
 */
async function enrollmentExemptions(
  store: ExemptionStore | null,
  entries: readonly MissingFactorEntry[],
  now: number,
): Promise<Map<string, ExemptionRecord>> {
  const found = new Map<string, ExemptionRecord>();
  if (!store || !entries.length) return found;
  const ids = entries.map((m) => m.userId);
  const records = store.listActiveExemptionsOf
    ? await store.listActiveExemptionsOf(ids, now)
    : (await Promise.all(ids.map((id) => store.listActiveExemptions(id, now)))).flat();
  for (const r of records) {
    // The store filters by time too; checking here keeps the injected clock the one authority.
    if (r.scope !== 'enrollment' || r.revokedAt !== null || r.expiresAt <= now) continue;
    const best = found.get(r.userId);
    if (!best || r.expiresAt > best.expiresAt) found.set(r.userId, r);
  }
  return found;
}

async function* pages(source: DirectorySource, size: number): AsyncGenerator<DirectoryUser[]> {
  let page: DirectoryUser[] = [];
  for await (const user of source) {
    page.push(user);
    if (page.length === size) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}
