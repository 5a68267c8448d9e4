import type { CompiledPolicy, CompiledRule, RuleSource } from './compile-policy';
import { applicableConstraints, decide, Decision, evaluateChain, Evidence, exemptionKey, MFA_SERVICE } from './decide';
import { MfaTarget, RequestContext, scopeOf } from './request-context';
import { RequirementStepView, stepsView } from './requirement-view';
import { riskOf } from '../risk/risk-explanation';
import type { RiskAssessment } from '../risk/risk-signals';
import { AppliedExemption, appliedExemption, exemptRuleIds, longestRunning } from '../exemptions/exemption';
import type { ExemptionRecord } from '../ports/store/exemption.store';

export type LayerSource = RuleSource | { kind: 'enrollment' } | { kind: 'machine-principals' };

/** What the store knows of the user's enrollment; `explain` reads it and writes nothing. */
export interface EnrollmentFacts {
  enrolled: boolean;
  requiredSince: number | null;
  reenrollmentForcedAt: number | null;
}

/** Mandatory enrollment as it stands for the user, with the codes MFA_ENROLLMENT_REQUIRED would carry. */
export interface EnrollmentStanding {
  /** `exempt`: the grace period is over, but an admin's exemption is in force (see the layer's `exemption`). */
  status: 'enrolled' | 'grace' | 'required' | 'exempt';
  /** `grace`: seconds left; the whole period when it has not started (it starts at the first guarded request). */
  graceSecondsLeft?: number;
  reason?: 'grace_period_ended' | 'reenrollment_forced';
}

/** One applicable requirement, whole: every step of a chain, in order. */
export interface ExplainedLayer {
  /** The id decisions, challenges and audit events name it by. */
  id: string;
  source: LayerSource;
  effect: 'require' | 'deny' | 'enroll' | 'exempt';
  steps: RequirementStepView[];
  /** For a fresh session in this context, whether this layer alone would let the request through. */
  satisfied: boolean;
  reason: string;
  enrollment?: EnrollmentStanding;
  /** The admin's exemption that lifts (or, during a grace period, will lift) this layer for the user, and until when. */
  exemption?: AppliedExemption;
}

export type DecisionView =
  | Exclude<Decision, { outcome: 'challenge' }>
  | (Omit<Extract<Decision, { outcome: 'challenge' }>, 'remaining'> & { remaining: RequirementStepView[] });

/**
 * The combined decision, as the guard would take it, and every layer that went into it.
 * `risk`: the score and the signals that fired, when any did.
 */
export type PolicyExplanation = DecisionView & { layers: ExplainedLayer[]; risk?: RiskAssessment };

/**
 * `decide` stops at the first unmet layer, which is what the guard needs and all it may
 * pay for. Explaining evaluates every layer on its own instead: only admins ask, so this
 * extra work never touches a guarded request.
 */
export function explainPolicy(
  policy: CompiledPolicy,
  target: MfaTarget,
  context: RequestContext,
  who: { userId: string; groups: readonly string[] },
  enrollment: EnrollmentFacts,
  now: number,
  /** The user's exemptions in force at `now`. */
  exemptions: readonly ExemptionRecord[] = [],
): PolicyExplanation {
  const groups = who.groups;
  const exemptRules = exemptRuleIds(exemptions);
  const evidence: Evidence = { userId: who.userId, groups, verified: [], grants: [], exemptRules };
  const decision = decide(policy, target, context, evidence, now);
  const view: DecisionView =
    decision.outcome === 'challenge'
      ? { ...decision, remaining: stepsView(decision.remaining, policy.enabled) }
      : decision;
  const layers: ExplainedLayer[] = [];
  if (context.machine && policy.machineExempt) {
    layers.push({
      id: 'machine-principals',
      source: { kind: 'machine-principals' },
      effect: 'exempt',
      steps: [],
      satisfied: true,
      reason: 'machine principals are exempt by policy',
    });
  } else {
    for (const rule of applicableConstraints(policy, target, context, groups)) {
      const source = rule.source ?? { kind: 'rule', ruleId: rule.id };
      if (rule.requirement === null) {
        layers.push({
          id: rule.id,
          source,
          effect: 'deny',
          steps: [],
          satisfied: false,
          reason: 'denies this request (403 MFA_DENIED)',
        });
        continue;
      }
      const steps = stepsView(rule.requirement.steps, policy.enabled);
      // As decide: never on the mfa service, whose rules guard MFA's own admin routes.
      const lifted =
        source.kind === 'rule' &&
        target.service !== MFA_SERVICE &&
        rule.fingerprint !== undefined &&
        exemptRules.has(exemptionKey(rule.id, rule.fingerprint));
      const exempt = lifted ? exemptionFor(exemptions, rule.id, rule.fingerprint) : undefined;
      if (exempt) {
        const reason = `exempted for this user until ${exempt.expiresAt} (exemption ${exempt.id})`;
        layers.push({ id: rule.id, source, effect: 'exempt', steps, satisfied: true, reason, exemption: exempt });
        continue;
      }
      const result = evaluateChain(rule.requirement.steps, policy, context, evidence, scopeOf(target), now);
      layers.push({
        id: rule.id,
        source,
        effect: 'require',
        steps,
        satisfied: result.satisfied,
        reason: (result.satisfied ? 'satisfied' : result.reason) + supersededNote(exemptions, rule, source),
      });
    }
  }
  const enroll = enrollmentLayer(policy, target, groups, enrollment, now, exemptionFor(exemptions, null));
  if (enroll) layers.push(enroll);
  const risk = riskOf(context);
  return risk && Object.keys(risk.signals).length ? { ...view, layers, risk } : { ...view, layers };
}

/**
 * Mirrors ChallengeService.enrollmentGate for a fresh session, without its one write (the
 * grace period's start): covered users and users an admin sent back to enroll.
 */
function enrollmentLayer(
  policy: CompiledPolicy,
  target: MfaTarget,
  groups: readonly string[],
  facts: EnrollmentFacts,
  now: number,
  exemption: AppliedExemption | undefined,
): ExplainedLayer | null {
  const rule = policy.enrollment;
  const covered = rule !== null && (rule.everyone || groups.some((g) => rule.groups.includes(g)));
  const mapped = target.service !== undefined || target.operation !== undefined || target.requirement !== undefined;
  const forced = facts.reenrollmentForcedAt !== null && (rule !== null || mapped);
  if (!covered && !forced) return null;
  const layer = (standing: EnrollmentStanding, reason: string): ExplainedLayer => ({
    id: 'enrollment',
    source: { kind: 'enrollment' },
    effect: 'enroll',
    steps: [],
    satisfied: standing.status !== 'required',
    reason,
    enrollment: standing,
    ...(exemption && !facts.enrolled && !forced ? { exemption } : {}),
  });
  if (facts.enrolled) return layer({ status: 'enrolled' }, 'the user has an active factor');
  if (forced)
    return layer(
      { status: 'required', reason: 'reenrollment_forced' },
      're-enrollment forced by an administrator (403 MFA_ENROLLMENT_REQUIRED)',
    );
  const graceMs = rule!.graceMs;
  const left = facts.requiredSince === null ? graceMs : facts.requiredSince + graceMs - now;
  if (left <= 0 && exemption)
    return {
      ...layer({ status: 'exempt' }, `the grace period has ended; exempted until ${exemption.expiresAt}`),
      effect: 'exempt',
    };
  if (left <= 0)
    return layer(
      { status: 'required', reason: 'grace_period_ended' },
      'the grace period has ended (403 MFA_ENROLLMENT_REQUIRED)',
    );
  const graceSecondsLeft = Math.ceil(left / 1000);
  const when = facts.requiredSince === null ? 'starts at the first guarded request' : 'is running';
  return layer(
    { status: 'grace', graceSecondsLeft },
    `no factor yet; the grace period ${when}: ${graceSecondsLeft}s left`,
  );
}

/** The longest-running exemption in force for a rule as it now reads (`null`: for mandatory enrollment). */
function exemptionFor(
  exemptions: readonly ExemptionRecord[],
  ruleId: string | null,
  fingerprint?: string,
): AppliedExemption | undefined {
  const scope = ruleId === null ? 'enrollment' : 'rule';
  const found = longestRunning(
    exemptions.filter(
      (e) => e.scope === scope && e.ruleId === ruleId && (ruleId === null || e.ruleFingerprint === fingerprint),
    ),
  );
  return found && appliedExemption(found);
}

/** Tells the admin why an exemption naming this rule lifts nothing: it was granted for the rule before a change. */
function supersededNote(
  exemptions: readonly ExemptionRecord[],
  rule: Pick<CompiledRule, 'id' | 'fingerprint'>,
  source: LayerSource,
): string {
  if (source.kind !== 'rule') return '';
  const stale = exemptions.filter(
    (e) => e.scope === 'rule' && e.ruleId === rule.id && (!e.ruleFingerprint || e.ruleFingerprint !== rule.fingerprint),
  );
  if (!stale.length) return '';
  return `; exemption ${stale.map((e) => e.id).join(', ')} no longer applies: the rule changed since it was granted`;
}
