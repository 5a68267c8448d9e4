import type { ComplianceFacts } from '../ports/store/compliance.store';
import type { CompliancePolicy, DirectoryUser, MissingFactorEntry } from './compliance-report.types';

const DAY_MS = 86_400_000;

type Rule = CompliancePolicy['enrollment'];

/**
 * The enforcer's gate (`Enforcer.enrollmentGate`), read instead of applied: forced
 * re-enrollment has no grace; otherwise the grace runs from when the requirement first
 * applied, and a covered user it has not applied to yet gets it all at the next request.
 * Without a directory the user's groups are unknown, so under a group rule only users the
 * requirement has already applied to (a recorded start) count as covered.
 */
export function missingFactor(
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

/** Up: one hour left is a day left. Past the end: whole days overdue, so 0 is "ended today". */
function days(ms: number): number {
  const d = ms > 0 ? Math.ceil(ms / DAY_MS) : Math.trunc(ms / DAY_MS);
  return d === 0 ? 0 : d;
}

export function noFacts(userId: string): ComplianceFacts {
  return {
    userId,
    activeFactors: [],
    backupCodesLeft: null,
    enrollmentRequiredSince: null,
    reenrollmentForcedAt: null,
  };
}
