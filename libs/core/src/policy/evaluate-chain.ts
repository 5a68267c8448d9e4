import { assuranceOfRecord } from '../factors/assurance';
import type { CompiledPolicy } from './compile-policy';
import type { Drift, Evidence, VerifiedFactor } from './decide';
import { acceptedFactors, isSingleUse, meetsAssurance, RequirementStep } from './requirement';
import type { RequestContext, VerificationBaseline } from './request-context';

/** A verification stops counting when the request's context departs from its baseline as the policy says. */
export function driftOf(
  baseline: VerificationBaseline | undefined,
  context: RequestContext,
  policy: CompiledPolicy,
): Drift | null {
  const b = baseline ?? {};
  const c = policy.continuous;
  if (c.countryChange && b.country !== undefined && context.country !== b.country)
    return { kind: 'country', from: b.country, to: context.country ?? 'unknown' };
  if (c.riskIncrease !== undefined && (context.risk ?? 0) > (b.risk ?? 0) + c.riskIncrease)
    return { kind: 'risk', from: b.risk ?? 0, to: context.risk ?? 0 };
  if (c.trustDrop && b.deviceTrusted && !context.deviceTrusted) return { kind: 'trust' };
  return null;
}

export function describeDrift(drift: Drift): string {
  if (drift.kind === 'country') return `country changed from ${drift.from} to ${drift.to}`;
  if (drift.kind === 'risk') return `risk rose from ${drift.from} to ${drift.to}`;
  return 'device trust dropped';
}

export type ChainResult =
  | { satisfied: true; grants: string[] }
  | { satisfied: false; remaining: RequirementStep[]; reason: string; drift?: Drift };

/**
 * Steps must be met in order by distinct verifications: each by the earliest usable one no
 * older than the previous step's. Non-single-use steps of a chain accept disjoint factors
 * (validatePolicy), so taking the earliest is never worse than any other choice — except
 * under `passkeyAsTwoFactors`, where a passkey that also meets the next step is preferred.
 */
export function evaluateChain(
  steps: RequirementStep[],
  policy: CompiledPolicy,
  context: RequestContext,
  evidence: Evidence,
  scope: string,
  now: number,
): ChainResult {
  let floor = -Infinity;
  const usedEvents = new Set<string>();
  const grants: string[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const plainAny = step.factors === 'any' && !step.phishingResistant && step.minAal === undefined;
    const accepted = plainAny ? policy.enabled : acceptedFactors(step, policy.enabled);
    const unmet = (reason: string, drift?: Drift): ChainResult => ({
      satisfied: false,
      remaining: steps.slice(i),
      reason: `step ${i + 1} of ${steps.length} (${accepted.join('|')}) ${reason}`,
      ...(drift && { drift }),
    });
    if (isSingleUse(step)) {
      const grant = evidence.grants
        .filter(
          (g) =>
            g.scope === scope &&
            accepted.includes(g.factor) &&
            meetsAssurance(step, g.factor, assuranceOfRecord(g).aal) &&
            g.expiresAt > now &&
            g.createdAt >= floor &&
            !usedEvents.has(g.eventId),
        )
        .sort((a, b) => a.createdAt - b.createdAt)[0];
      if (!grant) return unmet('needs a fresh single-use verification for this operation');
      floor = grant.createdAt;
      usedEvents.add(grant.eventId);
      grants.push(grant.id);
      continue;
    }
    if (waivedByDevice(step, context)) continue;
    const oldest = step.maxAge === undefined ? -Infinity : now - step.maxAge * 1000;
    const next = policy.passkeyAsTwoFactors ? steps[i + 1] : undefined;
    let drift: Drift | null = null;
    let usable: VerifiedFactor | undefined;
    let double: VerifiedFactor | undefined;
    // One pass, no allocations: this runs on every guarded request.
    for (const v of evidence.verified) {
      if (
        !accepted.includes(v.factor) ||
        v.verifiedAt < floor ||
        v.verifiedAt < oldest ||
        usedEvents.has(v.eventId) ||
        !meetsAssurance(step, v.factor, assuranceOfRecord(v).aal)
      )
        continue;
      const earliest = !usable || v.verifiedAt < usable.verifiedAt;
      const earliestDouble = next && (!double || v.verifiedAt < double.verifiedAt) && meetsNextStepToo(v, next, now);
      if (!earliest && !earliestDouble) continue;
      const moved = driftOf(v.baseline, context, policy);
      if (moved !== null) {
        drift ??= moved;
        continue;
      }
      if (earliest) usable = v;
      if (earliestDouble) double = v;
    }
    if (!usable && drift) return unmet(`was verified, but ${describeDrift(drift)}`, drift);
    if (!usable)
      return unmet(
        step.maxAge !== undefined ? `needs a verification within ${step.maxAge}s` : 'is not verified in this session',
      );
    const chosen = double ?? usable;
    floor = chosen.verifiedAt;
    usedEvents.add(chosen.eventId);
    if (double) i++;
  }
  return { satisfied: true, grants };
}

/** A trusted device (a cookie, earned by any factor) never stands in for freshness, phishing resistance or a level. */
function waivedByDevice(step: RequirementStep, context: RequestContext): boolean {
  const plain = step.maxAge === undefined && !step.phishingResistant && step.minAal === undefined;
  return Boolean(step.allowTrustedDevice && plain && context.deviceTrusted);
}

/**
 * `methods.passkeyAsTwoFactors`: a passkey used with user verification is possession plus
 * knowledge or inherence, so it may stand for the next step of the chain as well, whatever
 * factors that step names, as long as the verification is fresh and strong enough for it.
 * Never for a single-use step: a grant is spent by one operation, not carried over.
 */
function meetsNextStepToo(v: VerifiedFactor, next: RequirementStep | undefined, now: number): boolean {
  const assurance = assuranceOfRecord(v);
  if (!next || isSingleUse(next) || !assurance.multiFactor) return false;
  if (next.maxAge !== undefined && v.verifiedAt < now - next.maxAge * 1000) return false;
  return meetsAssurance(next, v.factor, assurance.aal);
}
