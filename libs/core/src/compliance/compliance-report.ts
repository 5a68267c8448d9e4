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

/** Fewer unused backup codes than this is "running out" in the report (the user is told at 2). */
export const LOW_BACKUP_CODES = 3;
const DAY_MS = 86_400_000;
const DEFAULT_BATCH = 500;
const MAX_BATCH = 5_000;
const WEAK = new Set<string>(['sms', 'email']);

type Rule = CompliancePolicy['enrollment'];

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
    let after: string | null = null;
    for (;;) {
      const page = await store.listComplianceFacts(after, batch);
      await takePage(page.map((facts) => ({ facts, user: null })));
      if (page.length < batch) break;
      after = page[page.length - 1].userId;
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

/**
 * The enforcer's gate (`Enforcer.enrollmentGate`), read instead of applied: forced
 * re-enrollment has no grace; otherwise the grace runs from when the requirement first
 * applied, and a covered user it has not applied to yet gets it all at the next request.
 * Without a directory the user's groups are unknown, so under a group rule only users the
 * requirement has already applied to (a recorded start) count as covered.
 */
function missingFactor(
  facts: ComplianceFacts,
  user: DirectoryUser | null,
  rule: Rule,
  now: number,
): MissingFactorEntry | null {
  if (facts.activeFactors.length) return null;
  const forced = facts.reenrollmentForcedAt;
  const matching =
    user && rule ? (rule.everyone ? user.groups : user.groups.filter((g) => rule.groups.includes(g))) : [];
  const covered =
    rule !== null && (rule.everyone || (user ? matching.length > 0 : facts.enrollmentRequiredSince !== null));
  if (forced === null && !covered) return null;
  const groups = user ? (covered ? matching : user.groups) : null;
  const since = facts.enrollmentRequiredSince;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  if (forced !== null)
    return {
      userId: facts.userId,
      groups,
      status: 'reenrollment_forced',
      requiredSince: iso(since),
      graceEndsAt: iso(forced),
      graceDaysLeft: days(forced - now),
      overdue: true,
      ...NOT_EXEMPT,
    };
  if (since === null)
    return {
      userId: facts.userId,
      groups,
      status: 'not_started',
      requiredSince: null,
      graceEndsAt: null,
      graceDaysLeft: rule!.graceMs / DAY_MS,
      // With no grace at all the first guarded request is refused already.
      overdue: rule!.graceMs <= 0,
      ...NOT_EXEMPT,
    };
  const left = since + rule!.graceMs - now;
  return {
    userId: facts.userId,
    groups,
    status: left > 0 ? 'in_grace' : 'overdue',
    requiredSince: iso(since),
    graceEndsAt: iso(since + rule!.graceMs),
    graceDaysLeft: days(left),
    overdue: left <= 0,
    ...NOT_EXEMPT,
  };
}

const NOT_EXEMPT = { exemptUntil: null, exemptionId: null } as const;

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

/** Up: one hour left is a day left. Past the end: whole days overdue, so 0 is "ended today". */
function days(ms: number): number {
  const d = ms > 0 ? Math.ceil(ms / DAY_MS) : Math.trunc(ms / DAY_MS);
  return d === 0 ? 0 : d;
}

function noFacts(userId: string): ComplianceFacts {
  return {
    userId,
    activeFactors: [],
    backupCodesLeft: null,
    enrollmentRequiredSince: null,
    reenrollmentForcedAt: null,
  };
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
