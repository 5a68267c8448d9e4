import { randomUUID } from 'node:crypto';
import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import type { CodeSent, DeliveryChannel, OtpDeliveryService } from '../delivery/otp-delivery.service';
import { MfaError } from '../errors/mfa.error';
import type { FactorType } from '../factors/factor-type';
import type { ChallengeAnswer, FactorVerifier } from '../factors/factor.verifier';
import { passkeysFor } from '../factors/passkey/passkey-requests';
import type { TrustedDeviceService, IssuedDevice } from '../lifecycle/trusted-device.service';
import type { AttemptLimiter } from '../lockout/attempt-limiter';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { Decision } from '../policy/decide';
import type { DecisionReplay } from '../policy/decision-replay';
import type { PolicyService } from '../policy/policy.service';
import { acceptedFactors, isSingleUse } from '../policy/requirement';
import type { RequestContext } from '../policy/request-context';
import { RequirementStepView, stepsView } from '../policy/requirement-view';
import type { VerifiedRequestLearning } from '../risk/verified-request.learning';
import type { ChallengeDemand, ChallengeRecord, EnrollmentRecord } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import { availableMethods, enrollableFactors, MethodView } from './challenge-methods';
import { challengePurpose } from './challenge-purpose';
import type { EmailFallback } from './email-fallback';
import type { RenewSessionId, VerificationAttempt, VerificationCommitter } from './verification-commit';

/** What the client sees of a challenge: never a secret, only what remains and how it may answer. */
export interface ChallengeView {
  id: string;
  expiresAt: string;
  /** The steps still missing; the first one is what this challenge verifies. */
  requirement: { steps: RequirementStepView[] };
  methods: MethodView[];
  ruleId: string;
  policyVersion: number;
}

/** A challenge this session may answer, and its user's enrollments, read with it. */
export interface UsableChallenge {
  challenge: ChallengeRecord;
  enrollments: EnrollmentRecord[];
}

export interface VerifyResult {
  method: FactorType;
  verifiedAt: string;
  /** True when this verification is a single-use grant for one operation. */
  singleUse: boolean;
  /** Set when the user asked to trust this browser and the policy allows it; the adapter sets the cookie. */
  trustedDevice?: IssuedDevice;
}

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'challengeTtlMs' | 'webauthn'>;

/** A challenge's life: opened for a missing step, answered by one of its methods, spent with what it earns. */
export class ChallengeService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
    private readonly limiter: AttemptLimiter,
    private readonly verifier: FactorVerifier,
    private readonly delivery: OtpDeliveryService,
    private readonly devices: TrustedDeviceService,
    private readonly committer: VerificationCommitter,
    private readonly fallback: EmailFallback,
    private readonly learning: VerifiedRequestLearning,
  ) {}

  /** The pending challenge for this decision (one per session, rule and missing steps), opened if there is none. */
  async open(
    subject: MfaSubject,
    sessionRef: string,
    decision: Extract<Decision, { outcome: 'challenge' }>,
    /** The decision's inputs, for what-if; carried by the `challenge.issued` event. */
    replay?: DecisionReplay,
    /** The request's risk and its signals, as `describeRisk` puts them; audited, never shown. */
    risk?: string,
  ): Promise<ChallengeView> {
    const { store, clock, challengeTtlMs } = this.deps;
    const now = clock.now();
    const enabled = this.policy.current().enabled;
    const accepted = acceptedFactors(decision.remaining[0], enabled);
    const passkeys = this.deps.webauthn && {
      eligible: passkeysFor(decision.remaining[0]),
      names: this.deps.webauthn.config.authenticatorNames,
    };
    const methods = await availableMethods(store, this.delivery, subject.userId, accepted, passkeys);
    if (methods.length === 0) {
      this.audit.record(subject, {
        type: 'enrollment.required',
        severity: 'info',
        outcome: 'refused',
        policyVersion: decision.policyVersion,
        ruleId: decision.ruleId,
      });
      throw new MfaError('MFA_ENROLLMENT_REQUIRED', {
        reason: 'no_factor',
        enrollable: enrollableFactors(accepted, this.delivery, this.deps.webauthn !== null),
      });
    }
    const demand: ChallengeDemand = {
      steps: decision.remaining,
      scope: decision.scope,
      ruleId: decision.ruleId,
      policyVersion: decision.policyVersion,
    };
    const purpose = challengePurpose(decision);
    let challenge = await store.findPendingChallenge(subject.userId, sessionRef, purpose, now);
    if (!challenge) {
      challenge = {
        id: randomUUID(),
        userId: subject.userId,
        sessionRef,
        purpose,
        requirement: demand,
        status: 'pending',
        createdAt: now,
        expiresAt: now + challengeTtlMs,
      } satisfies ChallengeRecord;
      await store.createChallenge(challenge);
      this.audit.record(subject, {
        type: 'challenge.issued',
        severity: 'info',
        outcome: 'challenge',
        challengeId: challenge.id,
        policyVersion: decision.policyVersion,
        ruleId: decision.ruleId,
        reason: risk ? `${risk}; ${decision.reasons.at(-1)}` : decision.reasons.at(-1),
        replay,
      });
    }
    const offered =
      methods.some((m) => m.type === 'email') && !(await this.fallback.offered(challenge, enabled, now))
        ? methods.filter((m) => m.type !== 'email')
        : methods;
    return {
      id: challenge.id,
      expiresAt: new Date(challenge.expiresAt).toISOString(),
      requirement: { steps: stepsView(decision.remaining, enabled) },
      methods: offered,
      ruleId: decision.ruleId,
      policyVersion: decision.policyVersion,
    };
  }

  async verify(
    subject: MfaSubject,
    challengeId: string,
    method: FactorType,
    answer: ChallengeAnswer,
    context: RequestContext = {},
    rememberDevice = false,
    enrollmentId?: string,
    renew?: RenewSessionId,
  ): Promise<VerifyResult> {
    if (!this.policy.isLoaded) await this.policy.init();
    const policy = this.policy.current();
    // What the request would teach, and the baseline it leaves (its risk once learned): kept only if the factor is accepted.
    const lesson = await this.learning.prepare(subject, context, policy, this.policy.reportOnly());
    const now = this.deps.clock.now();
    const sessionRef = sessionRefOf(subject.sessionId);
    let attempt: VerificationAttempt | undefined;
    let challenge: ChallengeRecord;
    // Read before the attempt is counted: a factor sealed under a key this instance lacks is
    // the operator's fault, refused (503) before it can cost the user an attempt.
    const read = await this.usable(subject, sessionRef, challengeId, method, policy.enabled, now);
    const asked = read ? { id: read.challenge.id, enrollments: read.enrollments } : null;
    const passkeys = read ? passkeysFor(read.challenge.requirement.steps[0]) : undefined;
    if (asked) await this.verifier.requireKeys(subject, method, now, asked, enrollmentId, passkeys);
    try {
      challenge = await this.limiter.attempt(subject, method, async () => {
        // Unknown, foreign, expired, spent and wrong-method challenges all fail like a wrong code: no oracle.
        if (!read || !asked) return null;
        const found = read.challenge;
        const baseline = lesson?.context ?? context;
        attempt = this.committer.begin({ subject, challenge: found, method, now, baseline, renew });
        if (await this.verifier.verify(subject, method, answer, now, asked, attempt.commit, enrollmentId, passkeys))
          return found;
        await this.fallback.primaryFailed(found, method, now);
        return null;
      });
    } catch (err) {
      if (attempt?.renewalFailed) await this.limiter.forgive(subject.userId, method);
      throw err;
    } finally {
      await attempt?.settle();
    }
    const singleUse = isSingleUse(challenge.requirement.steps[0]);
    await this.learning.teach(subject, lesson); // committed: only now may the request teach the profile
    const result: VerifyResult = { method, verifiedAt: new Date(now).toISOString(), singleUse };
    // A device earned by a single-use grant would outlive what the grant was for.
    if (rememberDevice && !singleUse) {
      const issued = await this.devices.issue({ ...subject, sessionId: attempt?.sessionId ?? subject.sessionId });
      if (issued) result.trustedDevice = issued;
    }
    return result;
  }

  /**
   * Sends (or re-sends, replacing the earlier code) an SMS or email code for a pending
   * challenge of this session, to one of the user's bound targets of that channel.
   */
  async sendCode(
    subject: MfaSubject,
    challengeId: string,
    method: DeliveryChannel,
    enrollmentId?: string,
  ): Promise<CodeSent> {
    const usable = await this.findUsable(subject, sessionRefOf(subject.sessionId), challengeId, method);
    if (!usable) throw new MfaError('CHALLENGE_NOT_FOUND');
    const found = usable.challenge;
    const bound = usable.enrollments.filter((e) => e.type === method && e.status === 'active');
    const enrollment = enrollmentId ? bound.find((e) => e.id === enrollmentId) : bound[0];
    if (!enrollment) throw new MfaError(enrollmentId ? 'ENROLLMENT_NOT_FOUND' : 'FACTOR_UNAVAILABLE', { method });
    return this.delivery.send(subject, enrollment, `challenge:${found.id}`);
  }

  /** A pending challenge of this session that `method` may answer, with its user's enrollments; null for anything else (no oracle). */
  async findUsable(
    subject: MfaSubject,
    sessionRef: string,
    challengeId: string,
    method: FactorType,
  ): Promise<UsableChallenge | null> {
    if (!this.policy.isLoaded) await this.policy.init();
    return this.usable(subject, sessionRef, challengeId, method, this.policy.current().enabled, this.deps.clock.now());
  }

  private async usable(
    subject: MfaSubject,
    sessionRef: string,
    challengeId: string,
    method: FactorType,
    enabled: readonly FactorType[],
    now: number,
  ): Promise<UsableChallenge | null> {
    const read = challengeId.length <= 64 ? await this.deps.store.findChallengeWithEnrollments(challengeId) : null;
    const found = read?.challenge;
    const usable =
      found &&
      found.userId === subject.userId &&
      found.sessionRef === sessionRef &&
      found.status === 'pending' &&
      found.expiresAt > now &&
      acceptedFactors(found.requirement.steps[0], enabled).includes(method);
    if (!usable) return null;
    return method !== 'email' || (await this.fallback.offered(found, enabled, now)) ? read : null;
  }
}
