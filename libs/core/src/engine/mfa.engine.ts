import type { VerifyResult } from '../challenges/challenge.service';
import type { RenewSessionId } from '../challenges/verification-commit';
import type { CodeSent, DeliveryChannel } from '../delivery/otp-delivery.service';
import type { EnforceOutcome } from '../enforcement/enforcer';
import { AuthenticationContext, authenticationContext } from '../enforcement/authentication-context';
import { MfaError } from '../errors/mfa.error';
import type { FactorType } from '../factors/factor-type';
import type { ChallengeAnswer } from '../factors/factor.verifier';
import type { PasskeyRequest } from '../factors/passkey/passkey-requests';
import type { TrustedDeviceView } from '../lifecycle/trusted-device.service';
import { countMalformedVerify } from '../lockout/malformed-verify';
import type { MfaCoreOptions } from '../options/mfa-core.options';
import { deviceWaivers } from '../policy/device-waivers';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import type { StatusCallbackRequest } from '../ports/delivery.port';
import { resolveRetention } from '../retention/retention.options';
import { largestPolicyMaxAgeSeconds } from '../retention/policy-max-age';
import { isRetentionStore } from '../retention/retention.port';
import { RetentionCounts, RetentionService } from '../retention/retention.service';
import type { MfaSubject } from '../subject';
import { MfaEngineFactors } from './mfa-engine.factors';

export type { ExplainSubject, WhatIfRequest } from './mfa-engine.admin';

/**
 * The framework-free entry point both adapters call. Every method takes an
 * `MfaSubject`, never a request, and refuses by throwing `MfaError`. The request path and
 * sessions live here; the user's own factors in `MfaEngineFactors`; administration in `MfaEngineAdmin`.
 */
export class MfaEngine extends MfaEngineFactors {
  private readonly retention: RetentionService;

  constructor(options: MfaCoreOptions) {
    super(options);
    const store = options.retention?.store ?? (isRetentionStore(options.store) ? options.store : undefined);
    this.retention = new RetentionService({
      store,
      pruneRiskProfiles: (limit) => this.services.risk.prune(limit),
      audit: this.services.audit,
      clock: this.ctx.clock,
      options: resolveRetention(options.retention),
      // The active and report-only versions as loaded; before the first load, none.
      policyMaxAgeSeconds: () =>
        this.policy.isLoaded ? largestPolicyMaxAgeSeconds([this.policy.current(), this.policy.reportOnly()]) : 0,
    });
  }

  /**
   * Loads (or boots) the policy and starts background retention. Adapters call it at
   * start-up; other calls also do it on first use.
   */
  async init(): Promise<void> {
    await Promise.all([this.policy.init(), this.ctx.sessionCache.connect()]);
    this.retention.start();
  }

  /**
   * Prunes expired and finished rows now (the background run, or joins the one in progress),
   * e.g. from a job of yours with `retention.enabled: false`. Answers the rows pruned per kind.
   */
  pruneExpired(): Promise<RetentionCounts> {
    return this.retention.runOnce();
  }

  /** True when an unmapped route needs nothing, so adapters may skip resolving the subject at all. */
  get unmappedRoutesOpen(): boolean {
    if (!this.policy.isLoaded) return false;
    const policy = this.policy.current();
    return policy.unmapped.steps.length === 0 && policy.enrollment === null;
  }

  /** Synchronous and side-effect free: true when cached state already lets the request through. */
  satisfiedFromCache(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): boolean {
    return this.services.enforcer.satisfiedFromCache(subject, target, context);
  }

  /**
   * Resolves when the request may proceed (with what to tell the client, e.g. the time left
   * to enroll), else throws MFA_REQUIRED (with a challenge), MFA_DENIED or MFA_ENROLLMENT_REQUIRED.
   */
  enforce(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): Promise<EnforceOutcome> {
    return this.services.enforcer.enforce(subject, target, context);
  }

  /**
   * `rememberDevice`: trust this browser afterwards, if the policy lets users opt in (see `trustedDevice` in the result).
   * `enrollmentId`: which of the user's factors of `method` the code is from; without it, each active one is tried.
   * `answer`: the code, or for `webauthn` the assertion from `navigator.credentials.get()`.
   * `renewSession`: renews your app's session id (session fixation) once the answer proved
   * right, before anything is spent, and returns the new id: the verification is recorded
   * under it, and the session's MFA state moves there in the same write. Throwing refuses
   * the verification; null keeps the id.
   */
  verifyChallenge(
    subject: MfaSubject,
    challengeId: string,
    method: FactorType,
    answer: ChallengeAnswer,
    context: RequestContext = {},
    rememberDevice = false,
    enrollmentId?: string,
    renewSession?: RenewSessionId,
  ): Promise<VerifyResult> {
    const { challenges } = this.services;
    return challenges.verify(subject, challengeId, method, answer, context, rememberDevice, enrollmentId, renewSession);
  }

  /** The options for `navigator.credentials.get()` that answer this challenge with one of the user's passkeys. */
  passkeyChallengeOptions(subject: MfaSubject, challengeId: string): Promise<PasskeyRequest> {
    return this.services.passkeyRequests.optionsFor(subject, challengeId);
  }

  /**
   * A verify body the adapter refused (400): a failed attempt on `method` when the challenge
   * belongs to this session and `method` is a factor type; otherwise nothing is counted.
   */
  countMalformedVerify(subject: MfaSubject, challengeId: string, method: unknown): Promise<void> {
    return countMalformedVerify(this.ctx, this.services.limiter, subject, challengeId, method);
  }

  /** Sends (or re-sends) an SMS or email code for a pending challenge; 429 RESEND_TOO_SOON inside the cooldown. */
  sendChallengeCode(
    subject: MfaSubject,
    challengeId: string,
    method: DeliveryChannel,
    enrollmentId?: string,
  ): Promise<CodeSent> {
    return this.services.challenges.sendCode(subject, challengeId, method, enrollmentId);
  }

  /** The user's live trusted devices; `currentCookie` marks the one the request came from. */
  listTrustedDevices(userId: string, currentCookie?: string): Promise<TrustedDeviceView[]> {
    return this.services.devices.list(userId, currentCookie);
  }

  /** The user revokes one of their devices (needs a fresh verification). */
  async revokeOwnDevice(subject: MfaSubject, deviceId: string, context: RequestContext = {}): Promise<void> {
    await this.services.reauth.requireFresh(subject, context);
    await this.services.lifecycle.revokeDevice(subject, deviceId, 'user');
  }

  /** The user revokes all their devices (needs a fresh verification). */
  async revokeOwnDevices(subject: MfaSubject, context: RequestContext = {}): Promise<number> {
    await this.services.reauth.requireFresh(subject, context);
    return this.services.devices.revokeAll(subject, 'user');
  }

  /**
   * `{ amr, acr, auth_time }` for one session (a token's `sid`), so a token issuer can mint
   * a token that carries the MFA it passed. `firstFactors`: your own sign-in's RFC 8176
   * values, e.g. `['pwd']`.
   */
  authenticationContext(
    subject: Pick<MfaSubject, 'userId' | 'sessionId'>,
    firstFactors: string[] = [],
  ): Promise<AuthenticationContext> {
    return authenticationContext(this.ctx.store, subject.userId, subject.sessionId, firstFactors);
  }

  /**
   * Call when your app renews a session id (a token reissued with a new `sid`): the MFA state
   * moves to the new id and the old one carries none. The HTTP layer does it itself after a
   * verification (express-session, or your `rotateSession` hook).
   */
  moveSession(userId: string, fromSessionId: string, toSessionId: string): Promise<void> {
    return this.services.sessions.move(userId, fromSessionId, toSessionId);
  }

  /** Voids one session's MFA state, e.g. at your app's sign-out or when renewing its id failed. */
  forgetSession(userId: string, sessionId: string): Promise<void> {
    return this.services.sessions.forget(userId, sessionId);
  }

  /** How many of the user's other sessions (all, without `currentSessionId`) hold MFA state. */
  countOtherSessions(userId: string, currentSessionId?: string): Promise<number> {
    return this.services.sessions.countOthers(userId, currentSessionId);
  }

  /** Voids MFA in every other session of the user (needs a fresh verification when they have a factor); returns how many. */
  revokeOtherSessions(subject: MfaSubject, context: RequestContext = {}): Promise<number> {
    return this.services.sessions.revokeOthers(subject, context);
  }

  /** Where a trusted device stands in for a step under the active policy, plus the given route labels. */
  trustedDeviceWaivers(routes: Iterable<string> = []): string[] {
    return deviceWaivers(this.policy.current(), routes);
  }

  /** Call when the user's password changes: their trusted devices are voided. Returns how many. */
  passwordChanged(userId: string): Promise<number> {
    return this.services.lifecycle.passwordChanged(userId);
  }

  /** Spends a help-desk recovery ticket issued for this user; their old factors are removed so they can enroll anew. */
  redeemRecoveryTicket(subject: MfaSubject, ticket: string): Promise<void> {
    return this.services.recovery.redeem(subject, ticket);
  }

  /**
   * A provider's delivery report (Twilio StatusCallback, Vonage DLR). The SMS sender
   * authenticates it; a request it cannot authenticate is refused.
   */
  async recordDeliveryStatus(provider: string, request: StatusCallbackRequest): Promise<{ recorded: boolean }> {
    const report = this.ctx.sms?.parseStatusCallback?.(provider, request) ?? null;
    if (!report) throw new MfaError('DELIVERY_CALLBACK_REJECTED');
    return { recorded: await this.services.delivery.recordStatus(report) };
  }

  /** Resolves when every notification started so far has been handed over (or failed). */
  notificationsSettled(): Promise<void> {
    return this.services.notifications.settled();
  }

  /**
   * Feeds one of the app's own failures (a wrong password) into the account-wide count, so
   * MFA lockout and login protection share one account state.
   */
  recordLoginFailure(userId: string, channel = 'password'): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    return this.services.limiter.recordExternalFailure(userId, channel);
  }

  async close(): Promise<void> {
    await this.retention.stop(); // before the store closes under a run in progress
    await Promise.all([this.ctx.store.close?.(), this.ctx.counters.close?.(), this.ctx.sessionInvalidation?.close?.()]);
  }
}
