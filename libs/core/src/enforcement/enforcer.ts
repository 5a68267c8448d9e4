import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import type { ChallengeService } from '../challenges/challenge.service';
import { enrollableFactors } from '../challenges/challenge-methods';
import type { OtpDeliveryService } from '../delivery/otp-delivery.service';
import { MfaError } from '../errors/mfa.error';
import { exemptRuleIds } from '../exemptions/exemption';
import type { ExemptionService } from '../exemptions/exemption.service';
import type { TrustedDeviceService } from '../lifecycle/trusted-device.service';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { Decision, decide, Evidence } from '../policy/decide';
import { DecisionRecorder, RecordFacts } from '../policy/decision-recorder';
import type { PolicyService } from '../policy/policy.service';
import { isSingleUse } from '../policy/requirement';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import { describeRisk, withRisk } from '../risk/risk-explanation';
import type { RiskEngine } from '../risk/risk-engine';
import { readsRisk } from '../risk/reads-risk';
import type { MfaSubject } from '../subject';
import type { SessionVerifications } from './session-verifications';

/** What a request that may proceed should also tell the client. */
export interface EnforceOutcome {
  /** Mandatory enrollment: seconds left before guarded routes refuse this user until they enroll. */
  enrollmentGraceSeconds?: number;
  /**
   * Mandatory enrollment: the grace period is over, but an admin's exemption lets this user on
   * until then (epoch ms); after it, guarded routes refuse until they enroll.
   */
  enrollmentExemptUntil?: number;
}

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'sessionCache' | 'webauthn' | 'decisionAudit'>;

/** The cache path's facts, allocated once: it settles a request without checking a device. */
const SCORED: RecordFacts = { riskScored: true };
const UNSCORED: RecordFacts = { riskScored: false };
const factsOf = (riskScored: boolean) => (riskScored ? SCORED : UNSCORED);

/** evaluate → (device, grants) → allow, deny or challenge, over server-side session state only. */
export class Enforcer {
  private readonly recorder: DecisionRecorder;

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
    private readonly sessions: SessionVerifications,
    private readonly devices: TrustedDeviceService,
    private readonly challenges: ChallengeService,
    private readonly delivery: OtpDeliveryService,
    private readonly risk: RiskEngine,
    private readonly exemptions: Pick<ExemptionService, 'active' | 'enrollment' | 'couldLift'>,
  ) {
    this.recorder = new DecisionRecorder(deps, audit, policy);
  }

  /**
   * Synchronous fast path: true when this process's cached session state already satisfies
   * the target and no single-use grant has to be spent. False means "ask `enforce`", never "deny".
   */
  satisfiedFromCache(subject: MfaSubject, target: MfaTarget, context: RequestContext): boolean {
    const { sessionCache, clock } = this.deps;
    if (!this.policy.isLoaded || !sessionCache.enabled) return false;
    const verified = sessionCache.get(subject.sessionId, subject.userId);
    if (!verified) return false;
    const evidence: Evidence = { userId: subject.userId, groups: subject.groups ?? [], verified, grants: [] };
    const now = clock.now();
    const policy = this.policy.current();
    const shadow = this.policy.reportOnly();
    // Risk is not assessed here: the request passes only if it would at the highest score it could have,
    // and so would a report-only version that reads risk (else its report needs the real score).
    const decided = this.risk.assesses(policy, shadow) ? this.risk.ceiling(subject, context) : context;
    const decision = decide(policy, target, decided, evidence, now);
    const reported =
      decided === context ||
      !shadow ||
      !readsRisk(shadow) ||
      decide(shadow, target, decided, evidence, now).outcome === 'allow';
    const pass = decision.outcome === 'allow' && decision.consumeGrants.length === 0 && reported;
    if (pass)
      this.recorder.settled(subject, target, context, evidence, decision, now, factsOf(this.risk.scored(context)));
    return pass;
  }

  /** Resolves when the request may proceed; throws MFA_REQUIRED (with a challenge), MFA_DENIED or MFA_ENROLLMENT_REQUIRED. */
  async enforce(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): Promise<EnforceOutcome> {
    if (!this.policy.isLoaded) await this.policy.init();
    const policy = this.policy.current();
    const now = this.deps.clock.now();
    const sessionRef = sessionRefOf(subject.sessionId);
    const evidence: Evidence = {
      userId: subject.userId,
      groups: subject.groups ?? [],
      verified: await this.sessions.read(subject, sessionRef),
      grants: [],
    };
    // Someone verified in this session has a factor; only the others can owe an enrollment.
    const mapped = target.service !== undefined || target.operation !== undefined || target.requirement !== undefined;
    const outcome =
      evidence.verified.length === 0 && (policy.enrollment || mapped) ? await this.enrollmentGate(subject, now) : {};
    const shadow = this.policy.reportOnly();
    if (this.risk.assesses(policy, shadow))
      context = await this.risk.decisionContext(subject, context, policy, target, evidence, now, shadow);
    let decision = decide(policy, target, context, evidence, now);
    let deviceChecked = false;
    let grantsRead = false;
    let exemptionsRead = false;
    // Each source is read at most once, and only when the step still missing is one it could settle:
    // a satisfied session reads none. Any of them can move the refusal to a later layer that another
    // settles (a trusted device meets the route's own step, then an exemption lifts a rule), so loop.
    while (decision.outcome === 'challenge') {
      const missing = decision.remaining;
      if (!exemptionsRead && this.exemptions.couldLift(policy, decision.ruleId, target.service)) {
        exemptionsRead = true;
        evidence.exemptRules = exemptRuleIds(await this.exemptions.active(subject.userId, now));
        if (evidence.exemptRules.size) decision = decide(policy, target, context, evidence, now);
      } else if (
        !deviceChecked &&
        context.deviceCookie &&
        !context.deviceTrusted &&
        missing.some((s) => s.allowTrustedDevice)
      ) {
        deviceChecked = true;
        if (await this.devices.check(subject, context.deviceCookie, context)) {
          context = { ...context, deviceTrusted: true };
          decision = decide(policy, target, context, evidence, now);
        }
      } else if (!grantsRead && missing.some(isSingleUse)) {
        grantsRead = true;
        evidence.grants = await this.deps.store.listUnspentGrants(subject.userId, sessionRef, decision.scope, now);
        decision = decide(policy, target, context, evidence, now);
      } else break;
    }
    const settled = () =>
      this.recorder.settled(subject, target, context, evidence, decision, now, {
        deviceChecked,
        riskScored: this.risk.scored(context),
      });
    if (decision.outcome === 'allow') {
      if (await this.spendGrants(subject, decision)) {
        settled();
        return outcome;
      }
      evidence.grants = []; // another request spent the grant first: ask again
      decision = decide(policy, target, context, evidence, now);
    }
    const replay = settled();
    if (decision.outcome === 'deny') {
      this.audit.record(subject, {
        type: 'decision.denied',
        severity: 'warning',
        outcome: 'refused',
        policyVersion: decision.policyVersion,
        ruleId: decision.ruleId,
        reason: describeRisk(context),
        replay,
      });
      throw new MfaError('MFA_DENIED', { ruleId: decision.ruleId, policyVersion: decision.policyVersion });
    }
    if (decision.outcome === 'allow') return outcome;
    if (decision.drift) {
      this.audit.record(subject, {
        type: 'session.drift',
        severity: 'high',
        outcome: 'challenge',
        ruleId: decision.ruleId,
        policyVersion: decision.policyVersion,
        reason: withRisk(context, decision.reasons.at(-1)),
      });
    }
    const challenge = await this.challenges.open(subject, sessionRef, decision, replay, describeRisk(context));
    throw new MfaError('MFA_REQUIRED', { challenge });
  }

  /**
   * Mandatory enrollment. A user the policy's `enrollment` covers, who has no factor, may
   * go on for the grace period (counted from the first request it applied to) and is told
   * how long is left; after it, and at once after an admin forced re-enrollment, every
   * guarded route answers MFA_ENROLLMENT_REQUIRED until a factor is bound — unless an admin's
   * enrollment exemption is in force (it ends by the clock; the grace period does not restart).
   */
  private async enrollmentGate(subject: MfaSubject, now: number): Promise<EnforceOutcome> {
    const { store } = this.deps;
    const rule = this.policy.current().enrollment;
    const [enrollments, state] = await Promise.all([
      store.listEnrollments(subject.userId),
      store.findUserState(subject.userId),
    ]);
    if (enrollments.some((e) => e.status === 'active')) return {};
    const forced = state?.reenrollmentForcedAt ?? null;
    const applies = rule !== null && (rule.everyone || (subject.groups ?? []).some((g) => rule.groups.includes(g)));
    if (forced === null && !applies) return {};
    const since =
      forced === null
        ? (state?.enrollmentRequiredSince ?? (await store.markEnrollmentRequired(subject.userId, now)))
        : null;
    const remainingMs = since === null ? 0 : since + rule!.graceMs - now;
    if (remainingMs > 0) return { enrollmentGraceSeconds: Math.ceil(remainingMs / 1000) };
    // Read only when the gate would refuse; an admin's forced re-enrollment is not lifted by one.
    const exempt = forced === null ? await this.exemptions.enrollment(subject.userId, now) : undefined;
    if (exempt) return { enrollmentExemptUntil: exempt.expiresAt };
    this.audit.record(subject, {
      type: 'enrollment.required',
      severity: 'warning',
      outcome: 'refused',
      reason: forced !== null ? 're-enrollment forced by an administrator' : 'grace period ended',
    });
    throw new MfaError('MFA_ENROLLMENT_REQUIRED', {
      reason: forced !== null ? 'reenrollment_forced' : 'grace_period_ended',
      enrollable: enrollableFactors(this.policy.current().enabled, this.delivery, this.deps.webauthn !== null),
    });
  }

  /** Single-use grants are spent by the request they authorise; losing the race means not authorised. */
  private async spendGrants(subject: MfaSubject, decision: Extract<Decision, { outcome: 'allow' }>): Promise<boolean> {
    const now = this.deps.clock.now();
    for (const id of decision.consumeGrants) {
      if (!(await this.deps.store.consumeGrant(subject.userId, id, now))) return false;
      this.audit.record(subject, {
        type: 'grant.spent',
        severity: 'info',
        outcome: 'success',
        policyVersion: decision.policyVersion,
        ruleId: decision.ruleIds.join(','),
      });
    }
    return true;
  }
}
