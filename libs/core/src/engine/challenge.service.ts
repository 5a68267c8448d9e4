import { randomUUID } from 'node:crypto';
import { AuditTrail, sessionRefOf } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { Decision, decide, Evidence, VerifiedFactor } from '../policy/decide';
import { acceptedFactors, isSingleUse, stepsKey } from '../policy/requirement';
import { baselineOf, MfaTarget, RequestContext } from '../policy/request-context';
import { RequirementStepView, stepsView } from '../policy/requirement-view';
import { ChallengeDemand, ChallengeRecord, FactorType, SessionFactorRecord, VerificationCommit } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { AttemptLimiter } from './attempt-limiter';
import { FactorVerifier, SpendAndRecord } from './factor-verifier';
import { ResolvedMfaContext } from './mfa-options';
import { PolicyService } from './policy.service';
import { CodeSent, DeliveryChannel, OtpDeliveryService } from './otp-delivery.service';
import { IssuedDevice, TrustedDeviceService } from './trusted-device.service';

export type MethodView =
  | { type: 'totp'; enrollments: Array<{ id: string; label: string | null }> }
  | { type: 'sms' | 'email'; enrollments: Array<{ id: string; label: string | null; maskedTarget: string | null }> }
  | { type: 'backup_code'; remaining: number };

const primaryFailuresKey = (challengeId: string) => `mfa:challenge:${challengeId}:primary-failures`;

/** What a request that may proceed should also tell the client. */
export interface EnforceOutcome {
  /** Mandatory enrollment: seconds left before guarded routes refuse this user until they enroll. */
  enrollmentGraceSeconds?: number;
}

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

export interface VerifyResult {
  method: FactorType;
  verifiedAt: string;
  /** True when this verification is a single-use grant for one operation. */
  singleUse: boolean;
  /** Set when the user asked to trust this browser and the policy allows it; the adapter sets the cookie. */
  trustedDevice?: IssuedDevice;
}

/** evaluate → challenge → verify → grant, over server-side session state only. */
export class ChallengeService {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly verifier: FactorVerifier,
    private readonly policy: PolicyService,
    private readonly delivery: OtpDeliveryService,
    private readonly devices: TrustedDeviceService,
  ) {}

  /**
   * Synchronous fast path: true when this process's cached session state already satisfies
   * the target and no single-use grant has to be spent. False means "ask `enforce`", never "deny".
   */
  satisfiedFromCache(subject: MfaSubject, target: MfaTarget, context: RequestContext): boolean {
    if (!this.policy.isLoaded || !this.ctx.sessionCache.enabled) return false;
    const verified = this.ctx.sessionCache.get(subject.sessionId, subject.userId);
    if (!verified) return false;
    const decision = decide(this.policy.current(), target, context, { userId: subject.userId, groups: subject.groups ?? [], verified, grants: [] }, this.ctx.clock.now());
    return decision.outcome === 'allow' && decision.consumeGrants.length === 0;
  }

  /** Resolves when the request may proceed; throws MFA_REQUIRED (with a challenge) or MFA_DENIED. */
  async enforce(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): Promise<EnforceOutcome> {
    if (!this.policy.isLoaded) await this.policy.init();
    const policy = this.policy.current();
    const now = this.ctx.clock.now();
    const sessionRef = sessionRefOf(subject.sessionId);
    const evidence: Evidence = { userId: subject.userId, groups: subject.groups ?? [], verified: await this.verified(subject, sessionRef), grants: [] };
    // Someone verified in this session has a factor; only the others can owe an enrollment.
    const mapped = target.service !== undefined || target.operation !== undefined || target.requirement !== undefined;
    const outcome = evidence.verified.length === 0 && (policy.enrollment || mapped) ? await this.enrollmentGate(subject, now) : {};
    let decision = decide(policy, target, context, evidence, now);
    // The trusted-device cookie is read only when a missing step would accept a device.
    if (decision.outcome === 'challenge' && context.deviceCookie && !context.deviceTrusted && decision.remaining.some((s) => s.allowTrustedDevice)) {
      if (await this.devices.check(subject, context.deviceCookie, context)) {
        context = { ...context, deviceTrusted: true };
        decision = decide(policy, target, context, evidence, now);
      }
    }
    // Grants are read only when a single-use step is what is missing, so satisfied sessions cost one read.
    if (decision.outcome === 'challenge' && decision.remaining.some(isSingleUse)) {
      evidence.grants = await this.ctx.store.listUnspentGrants(subject.userId, sessionRef, decision.scope, now);
      decision = decide(policy, target, context, evidence, now);
    }
    if (decision.outcome === 'allow') {
      if (await this.spendGrants(subject, decision)) return outcome;
      evidence.grants = []; // another request spent the grant first: ask again
      decision = decide(policy, target, context, evidence, now);
    }
    if (decision.outcome === 'deny') {
      this.audit.record(subject, { type: 'decision.denied', severity: 'warning', outcome: 'refused', policyVersion: decision.policyVersion, ruleId: decision.ruleId });
      throw new MfaError('MFA_DENIED', { ruleId: decision.ruleId, policyVersion: decision.policyVersion });
    }
    if (decision.outcome === 'allow') return outcome;
    if (decision.reasons.some((r) => r.includes('was verified, but'))) {
      this.audit.record(subject, { type: 'session.drift', severity: 'high', outcome: 'challenge', ruleId: decision.ruleId, policyVersion: decision.policyVersion, reason: decision.reasons.at(-1) });
    }
    const challenge = await this.openChallenge(subject, sessionRef, decision);
    throw new MfaError('MFA_REQUIRED', { challenge });
  }

  async verify(subject: MfaSubject, challengeId: string, method: FactorType, code: string, context: RequestContext = {}, rememberDevice = false, enrollmentId?: string): Promise<VerifyResult> {
    if (!this.policy.isLoaded) await this.policy.init();
    const now = this.ctx.clock.now();
    const sessionRef = sessionRefOf(subject.sessionId);
    const enabled = this.policy.current().enabled;
    const challenge = await this.limiter.attempt(subject, method, async () => {
      // Unknown, foreign, expired, spent and wrong-method challenges all fail like a wrong code: no oracle.
      const found = await this.usableChallenge(subject, sessionRef, challengeId, method, enabled, now);
      if (!found) return null;
      const earned = this.earnedBy(subject, found.requirement, method, now, context);
      const commit: SpendAndRecord = (spend) => this.ctx.store.commitVerification({ userId: subject.userId, spend, challengeId: found.id, earned, now });
      if (await this.verifier.verify(subject, method, code, now, found.id, commit, enrollmentId)) return found;
      if (method !== 'email' && this.policy.current().emailFallbackAfter !== null) {
        await this.ctx.counters.hit(primaryFailuresKey(found.id), Number.MAX_SAFE_INTEGER, Math.max(1, found.expiresAt - now), now);
      }
      return null;
    });
    const demand = challenge.requirement;
    const singleUse = isSingleUse(demand.steps[0]);
    if (!singleUse) await this.forgetCachedSession(subject);
    this.audit.record(subject, {
      type: 'challenge.verified', severity: 'info', channel: method, outcome: 'success', challengeId: challenge.id,
      policyVersion: demand.policyVersion, ruleId: demand.ruleId, reason: singleUse ? `single-use grant for ${demand.scope}` : undefined,
    });
    const result: VerifyResult = { method, verifiedAt: new Date(now).toISOString(), singleUse };
    // A device earned by a single-use grant would outlive what the grant was for.
    if (rememberDevice && !singleUse) {
      const issued = await this.devices.issue(subject);
      if (issued) result.trustedDevice = issued;
    }
    return result;
  }

  /**
   * Mandatory enrollment. A user the policy's `enrollment` covers, who has no factor, may
   * go on for the grace period (counted from the first request it applied to) and is told
   * how long is left; after it, and at once after an admin forced re-enrollment, every
   * guarded route answers MFA_ENROLLMENT_REQUIRED until a factor is bound.
   */
  private async enrollmentGate(subject: MfaSubject, now: number): Promise<EnforceOutcome> {
    const rule = this.policy.current().enrollment;
    const [enrollments, state] = await Promise.all([this.ctx.store.listEnrollments(subject.userId), this.ctx.store.findUserState(subject.userId)]);
    if (enrollments.some((e) => e.status === 'active')) return {};
    const forced = state?.reenrollmentForcedAt ?? null;
    const applies = rule !== null && (rule.everyone || (subject.groups ?? []).some((g) => rule.groups.includes(g)));
    if (forced === null && !applies) return {};
    const since = forced === null ? (state?.enrollmentRequiredSince ?? (await this.ctx.store.markEnrollmentRequired(subject.userId, now))) : null;
    const remainingMs = since === null ? 0 : since + rule!.graceMs - now;
    if (remainingMs > 0) return { enrollmentGraceSeconds: Math.ceil(remainingMs / 1000) };
    this.audit.record(subject, { type: 'enrollment.required', severity: 'warning', outcome: 'refused', reason: forced !== null ? 're-enrollment forced by an administrator' : 'grace period ended' });
    throw new MfaError('MFA_ENROLLMENT_REQUIRED', {
      reason: forced !== null ? 'reenrollment_forced' : 'grace_period_ended', enrollable: this.enrollable(this.policy.current().enabled),
    });
  }

  /** The factors a user could bind to meet a step: backup codes come with a factor, SMS/email need a sender. */
  private enrollable(accepted: readonly FactorType[]): FactorType[] {
    return accepted.filter((f) => f === 'totp' || ((f === 'sms' || f === 'email') && this.delivery.available(f)));
  }

  /**
   * Sends (or re-sends, replacing the earlier code) an SMS or email code for a pending
   * challenge of this session, to one of the user's bound targets of that channel.
   */
  async sendCode(subject: MfaSubject, challengeId: string, method: DeliveryChannel, enrollmentId?: string): Promise<CodeSent> {
    if (!this.policy.isLoaded) await this.policy.init();
    const now = this.ctx.clock.now();
    const found = await this.usableChallenge(subject, sessionRefOf(subject.sessionId), challengeId, method, this.policy.current().enabled, now);
    if (!found) throw new MfaError('CHALLENGE_NOT_FOUND');
    const bound = (await this.ctx.store.listEnrollments(subject.userId)).filter((e) => e.type === method && e.status === 'active');
    const enrollment = enrollmentId ? bound.find((e) => e.id === enrollmentId) : bound[0];
    if (!enrollment) throw new MfaError(enrollmentId ? 'ENROLLMENT_NOT_FOUND' : 'FACTOR_UNAVAILABLE', { method });
    return this.delivery.send(subject, enrollment, `challenge:${found.id}`);
  }

  private async usableChallenge(subject: MfaSubject, sessionRef: string, challengeId: string, method: FactorType, enabled: readonly FactorType[], now: number): Promise<ChallengeRecord | null> {
    const found = challengeId.length <= 64 ? await this.ctx.store.findChallenge(challengeId) : null;
    const usable =
      found &&
      found.userId === subject.userId &&
      found.sessionRef === sessionRef &&
      found.status === 'pending' &&
      found.expiresAt > now &&
      acceptedFactors(found.requirement.steps[0], enabled).includes(method);
    if (!usable) return null;
    return method !== 'email' || (await this.emailOffered(found, enabled, now)) ? found : null;
  }

  /**
   * The fallback rule (off by default): where a step also accepts another factor, email
   * codes open only after `emailFallbackAfter` failed attempts with the others on this
   * challenge, so the weaker channel is not the first door an attacker tries.
   */
  private async emailOffered(challenge: Pick<ChallengeRecord, 'id' | 'userId' | 'requirement'>, enabled: readonly FactorType[], now: number): Promise<boolean> {
    const after = this.policy.current().emailFallbackAfter;
    if (after === null) return true;
    const primaries: FactorType[] = acceptedFactors(challenge.requirement.steps[0], enabled).filter((f) => f !== 'email' && f !== 'backup_code');
    if (primaries.length === 0) return true;
    // A user with no other factor bound has nothing to fall back from.
    const bound = await this.ctx.store.listEnrollments(challenge.userId);
    if (!bound.some((e) => e.status === 'active' && primaries.includes(e.type))) return true;
    return (await this.ctx.counters.peek(primaryFailuresKey(challenge.id), now)).count >= after;
  }

  /** A verification outside a challenge (a confirmed enrollment); a challenge's goes with its spend, in `verify`. */
  async recordVerification(subject: MfaSubject, factor: FactorType, now: number, context: RequestContext = {}): Promise<void> {
    await this.ctx.store.recordSessionFactor(this.sessionFactorOf(subject, factor, now, context));
    await this.forgetCachedSession(subject);
  }

  /** Every session verification of ours is followed by this, so the cache never misses a write of ours. */
  private async forgetCachedSession(subject: MfaSubject): Promise<void> {
    // Other instances hold at worst an older "not yet verified" until the message lands; that
    // only asks again, so a failed publish must not fail the verification.
    await this.ctx.sessionCache.invalidateSession(subject.sessionId).catch(() => undefined);
  }

  private sessionFactorOf(subject: MfaSubject, factor: FactorType, now: number, context: RequestContext): SessionFactorRecord {
    return { sessionRef: sessionRefOf(subject.sessionId), userId: subject.userId, factor, verifiedAt: now, eventId: randomUUID(), baseline: baselineOf(context) };
  }

  /** What verifying a challenge earns: a single-use grant for its scope (`maxAge: 0`), else the session's verification. */
  private earnedBy(subject: MfaSubject, demand: ChallengeDemand, factor: FactorType, now: number, context: RequestContext): VerificationCommit['earned'] {
    if (!isSingleUse(demand.steps[0])) return { sessionFactor: this.sessionFactorOf(subject, factor, now, context) };
    const sessionRef = sessionRefOf(subject.sessionId);
    return { grant: { id: randomUUID(), userId: subject.userId, sessionRef, scope: demand.scope, factor, createdAt: now, expiresAt: now + this.ctx.challengeTtlMs, eventId: randomUUID() } };
  }

  /** Single-use grants are spent by the request they authorise; losing the race means not authorised. */
  private async spendGrants(subject: MfaSubject, decision: Extract<Decision, { outcome: 'allow' }>): Promise<boolean> {
    const now = this.ctx.clock.now();
    for (const id of decision.consumeGrants) {
      if (!(await this.ctx.store.consumeGrant(subject.userId, id, now))) return false;
      this.audit.record(subject, { type: 'grant.spent', severity: 'info', outcome: 'success', policyVersion: decision.policyVersion, ruleId: decision.ruleIds.join(',') });
    }
    return true;
  }

  private async verified(subject: MfaSubject, sessionRef: string): Promise<VerifiedFactor[]> {
    const cached = this.ctx.sessionCache.get(subject.sessionId, subject.userId);
    if (cached) return cached;
    const ticket = this.ctx.sessionCache.readTicket();
    const records = await this.ctx.store.listSessionFactors(subject.userId, sessionRef);
    this.ctx.sessionCache.set(subject.sessionId, subject.userId, records, ticket);
    return records;
  }

  private async openChallenge(subject: MfaSubject, sessionRef: string, decision: Extract<Decision, { outcome: 'challenge' }>): Promise<ChallengeView> {
    const now = this.ctx.clock.now();
    const enabled = this.policy.current().enabled;
    const methods = await this.availableMethods(subject.userId, acceptedFactors(decision.remaining[0], enabled));
    if (methods.length === 0) {
      this.audit.record(subject, { type: 'enrollment.required', severity: 'info', outcome: 'refused', policyVersion: decision.policyVersion, ruleId: decision.ruleId });
      throw new MfaError('MFA_ENROLLMENT_REQUIRED', { reason: 'no_factor', enrollable: this.enrollable(acceptedFactors(decision.remaining[0], enabled)) });
    }
    const demand: ChallengeDemand = { steps: decision.remaining, scope: decision.scope, ruleId: decision.ruleId, policyVersion: decision.policyVersion };
    const purpose = `${decision.policyVersion}|${decision.ruleId}|${decision.scope}|${stepsKey(decision.remaining)}`.slice(0, 191);
    let challenge = await this.ctx.store.findPendingChallenge(subject.userId, sessionRef, purpose, now);
    if (!challenge) {
      challenge = { id: randomUUID(), userId: subject.userId, sessionRef, purpose, requirement: demand, status: 'pending', createdAt: now, expiresAt: now + this.ctx.challengeTtlMs } satisfies ChallengeRecord;
      await this.ctx.store.createChallenge(challenge);
      this.audit.record(subject, {
        type: 'challenge.issued', severity: 'info', outcome: 'challenge', challengeId: challenge.id,
        policyVersion: decision.policyVersion, ruleId: decision.ruleId, reason: decision.reasons.at(-1),
      });
    }
    const offered = methods.some((m) => m.type === 'email') && !(await this.emailOffered(challenge, enabled, now)) ? methods.filter((m) => m.type !== 'email') : methods;
    return {
      id: challenge.id, expiresAt: new Date(challenge.expiresAt).toISOString(), requirement: { steps: stepsView(decision.remaining, enabled) }, methods: offered,
      ruleId: decision.ruleId, policyVersion: decision.policyVersion,
    };
  }

  private async availableMethods(userId: string, accepted: readonly FactorType[]): Promise<MethodView[]> {
    const methods: MethodView[] = [];
    const bound = accepted.some((f) => f !== 'backup_code') ? (await this.ctx.store.listEnrollments(userId)).filter((e) => e.status === 'active') : [];
    if (accepted.includes('totp')) {
      const totp = bound.filter((e) => e.type === 'totp');
      if (totp.length) methods.push({ type: 'totp', enrollments: totp.map((e) => ({ id: e.id, label: e.label })) });
    }
    for (const channel of ['sms', 'email'] as const) {
      const targets = accepted.includes(channel) && this.delivery.available(channel) ? bound.filter((e) => e.type === channel) : [];
      if (targets.length) methods.push({ type: channel, enrollments: targets.map((e) => ({ id: e.id, label: e.label, maskedTarget: e.maskedTarget })) });
    }
    // Backup codes are a recovery path for an enrolled user, never a factor on their own.
    if (accepted.includes('backup_code') && (methods.length || accepted.length === 1)) {
      const remaining = (await this.ctx.store.listUnusedBackupCodes(userId)).length;
      if (remaining) methods.push({ type: 'backup_code', remaining });
    }
    return methods;
  }
}
