import { normalizeDisplayText } from '../enrollment/factor-label';
import { MfaError } from '../errors/mfa.error';
import type { CompiledPolicy } from '../policy/compile-policy';
import { MFA_SERVICE } from '../policy/decide';
import type { ExemptionScope } from '../ports/store/exemption.store';
import {
  fingerprintOf,
  GrantExemptionInput,
  liftableRule,
  MAX_EXEMPTION_DAYS,
  MAX_EXEMPTION_REASON_LENGTH,
} from './exemption';

const DAY_MS = 86_400_000;

/** A grant as it will be stored: reason normalised, expiry absolute and within the time box. */
export interface CheckedExemption {
  scope: ExemptionScope;
  ruleId: string | null;
  ruleFingerprint: string | null;
  reason: string;
  expiresAt: number;
}

const refuse = (field: string, problem: string): never => {
  throw new MfaError('VALIDATION_FAILED', { errors: [{ field, problems: [problem] }] });
};

/**
 * The one place a grant is checked, whatever called it (HTTP, CLI, the host's code): a
 * known scope, a rule of the active policy that requires a factor, a reason on one honest
 * line, and an end at most 90 days from now.
 */
export function checkExemptionGrant(input: GrantExemptionInput, policy: CompiledPolicy, now: number): CheckedExemption {
  const scope = input.scope;
  if (scope !== 'enrollment' && scope !== 'rule') refuse('scope', "scope must be 'enrollment' or 'rule'");
  let ruleId: string | null = null;
  let ruleFingerprint: string | null = null;
  if (scope === 'rule') {
    if (typeof input.ruleId !== 'string' || input.ruleId === '') refuse('ruleId', "a 'rule' exemption names the rule");
    if (!liftableRule(policy, input.ruleId!))
      refuse('ruleId', `no rule '${String(input.ruleId).slice(0, 64)}' requiring a factor in the active policy`);
    if (guardsMfa(policy, input.ruleId!))
      refuse('ruleId', `rule '${input.ruleId!.slice(0, 64)}' guards the mfa service (its admin routes): not liftable`);
    ruleId = input.ruleId!;
    ruleFingerprint = fingerprintOf(policy, ruleId) ?? null;
  } else if (input.ruleId !== undefined) refuse('ruleId', "only a 'rule' exemption names a rule");
  if (typeof input.reason !== 'string') refuse('reason', 'a reason is required');
  // The reason lands in the audit trail and help-desk views: the label rule keeps it one honest line.
  const reason = normalizeDisplayText(input.reason, 'reason', MAX_EXEMPTION_REASON_LENGTH);
  return { scope, ruleId, ruleFingerprint, reason, expiresAt: expiryOf(input, now) };
}

/**
 * A rule naming the `mfa` service (by name or by its group) exists to guard MFA itself — the admin
 * routes check `{ service: 'mfa', operation: 'admin' }` — so no exemption may name it. A rule with no
 * service condition stays liftable for business routes; `decide` never lifts anything on `mfa`.
 */
function guardsMfa(policy: CompiledPolicy, ruleId: string): boolean {
  const group = policy.serviceGroup.get(MFA_SERVICE);
  return policy.rules.some(
    (r) =>
      r.id === ruleId &&
      (!!r.when.services?.includes(MFA_SERVICE) || (group !== undefined && !!r.when.serviceGroups?.includes(group))),
  );
}

function expiryOf(input: GrantExemptionInput, now: number): number {
  const { days, expiresAt } = input;
  if ((days === undefined) === (expiresAt === undefined)) refuse('days', 'give either days or expiresAt, not both');
  if (days !== undefined) {
    if (!Number.isInteger(days) || days < 1 || days > MAX_EXEMPTION_DAYS)
      refuse('days', `from 1 to ${MAX_EXEMPTION_DAYS} days`);
    return now + days * DAY_MS;
  }
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) refuse('expiresAt', 'an instant is required');
  if (expiresAt! <= now) refuse('expiresAt', 'must be in the future');
  if (expiresAt! > now + MAX_EXEMPTION_DAYS * DAY_MS)
    refuse('expiresAt', `at most ${MAX_EXEMPTION_DAYS} days from now`);
  return Math.floor(expiresAt!);
}
