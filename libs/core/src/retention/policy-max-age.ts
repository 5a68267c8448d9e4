import type { CompiledPolicy } from '../policy/compile-policy';

/**
 * The longest finite `maxAge` (seconds) any step of these policies asks for, 0 when none
 * does: retention keeps a session's verifications at least this long, so a pruned one is
 * never one a step could still count. Route requirements (`@RequireMfa({ maxAge })`) live in
 * code, not here: `retention.sessionDays` must cover those.
 */
export function largestPolicyMaxAgeSeconds(policies: ReadonlyArray<CompiledPolicy | null | undefined>): number {
  let largest = 0;
  for (const policy of policies) {
    if (!policy) continue;
    const requirements = [policy.unmapped, ...policy.rules.map((r) => r.requirement)];
    for (const requirement of requirements)
      for (const step of requirement?.steps ?? [])
        if (step.maxAge !== undefined && Number.isFinite(step.maxAge) && step.maxAge > largest) largest = step.maxAge;
  }
  return largest;
}
