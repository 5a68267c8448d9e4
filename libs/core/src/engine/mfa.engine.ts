import { AuditTrail } from '../audit/audit-trail';
import { explainPolicy, PolicyExplanation } from '../policy/explain';
import { FACTOR_TYPES } from '../policy/requirement';
import { MfaTarget, RequestContext } from '../policy/request-context';
import { FactorType } from '../ports/mfa-store.port';
import { AuditPage, AuditQuery } from '../ports/audit-sink.port';
import { MfaError } from '../errors/mfa.error';
import { MfaSubject } from '../subject';
import { AttemptLimiter } from './attempt-limiter';
import { ChallengeService, EnforceOutcome, VerifyResult } from './challenge.service';
import { TrustedDeviceService, TrustedDeviceView } from './trusted-device.service';
import { LifecycleService, RecoveryTicketIssued, UserMfaView } from './lifecycle.service';
import { EnrollmentService, EnrollmentSummary, FactorView, TotpEnrollmentStart } from './enrollment.service';
import { FactorVerifier } from './factor-verifier';
import { MfaCoreOptions, ResolvedMfaContext, resolveMfaOptions } from './mfa-options';
import { PolicyService, PolicyVersionView } from './policy.service';
import { rotateSealedSecrets } from './rotate-secrets';
import { CodeSent, DeliveryChannel, OtpDeliveryService } from './otp-delivery.service';
import { NotificationService } from './notification.service';
import { SecurityNotices } from './security-notices';
import { countMalformedVerify } from './malformed-verify';
import { DeliveryEnrollmentStart } from './enrollment.service';
import { StatusCallbackRequest } from '../ports/delivery.port';
import { AuthenticationContext, authenticationContext } from './authentication-context';
import { deviceWaivers } from '../policy/device-waivers';
import { SessionStateService } from './session-state.service';

/** Who `explain` asks about: no session is needed, since nothing is verified or written. */
export interface ExplainSubject {
  userId: string;
  groups?: string[];
}

/**
 * The framework-free entry point both adapters call. Every method takes an
 * `MfaSubject`, never a request, and refuses by throwing `MfaError`.
 */
export class MfaEngine {
  private readonly ctx: ResolvedMfaContext;
  private readonly challenges: ChallengeService;
  private readonly enrollments: EnrollmentService;
  private readonly limiter: AttemptLimiter;
  private readonly delivery: OtpDeliveryService;
  private readonly notifications: NotificationService;
  private readonly devices: TrustedDeviceService;
  private readonly lifecycle: LifecycleService;
  private readonly audit: AuditTrail;
  private readonly sessions: SessionStateService;
  readonly policy: PolicyService;

  constructor(options: MfaCoreOptions) {
    this.ctx = resolveMfaOptions(options);
    const audit = (this.audit = new AuditTrail(this.ctx.audit, this.ctx.clock));
    const delivery = (this.delivery = new OtpDeliveryService(this.ctx, audit));
    this.notifications = new NotificationService(this.ctx, audit, delivery);
    const notices = new SecurityNotices(this.ctx, audit, (who, notice) => this.notifications.notify(who, notice));
    const limiter = (this.limiter = new AttemptLimiter(this.ctx, audit, notices));
    const verifier = new FactorVerifier(this.ctx, audit, delivery, this.notifications, notices);
    this.policy = new PolicyService(this.ctx, audit);
    this.devices = new TrustedDeviceService(this.ctx, audit, this.policy, this.notifications);
    this.challenges = new ChallengeService(this.ctx, audit, limiter, verifier, this.policy, delivery, this.devices);
    this.enrollments = new EnrollmentService(this.ctx, audit, limiter, verifier, this.challenges, delivery, this.notifications);
    this.lifecycle = new LifecycleService(this.ctx, audit, this.policy, this.challenges, this.enrollments, this.devices, this.notifications);
    this.sessions = new SessionStateService(this.ctx, audit, this.enrollments);
  }

  /** Loads (or boots) the policy. Adapters call it at start-up; other calls also do it on first use. */
  async init(): Promise<void> {
    await Promise.all([this.policy.init(), this.ctx.sessionCache.connect()]);
  }

  /** True when an unmapped route needs nothing, so adapters may skip resolving the subject at all. */
  get unmappedRoutesOpen(): boolean {
    if (!this.policy.isLoaded) return false;
    const policy = this.policy.current();
    return policy.unmapped.steps.length === 0 && policy.enrollment === null;
  }

  /** Synchronous and side-effect free: true when cached state already lets the request through. */
  satisfiedFromCache(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): boolean {
    return this.challenges.satisfiedFromCache(subject, target, context);
  }

  /**
   * Resolves when the request may proceed (with what to tell the client, e.g. the time left
   * to enroll), else throws MFA_REQUIRED (with a challenge), MFA_DENIED or MFA_ENROLLMENT_REQUIRED.
   */
  enforce(subject: MfaSubject, target: MfaTarget, context: RequestContext = {}): Promise<EnforceOutcome> {
    return this.challenges.enforce(subject, target, context);
  }

  /**
   * `rememberDevice`: trust this browser afterwards, if the policy lets users opt in (see `trustedDevice` in the result).
   * `enrollmentId`: which of the user's factors of `method` the code is from; without it, each active one is tried.
   */
  verifyChallenge(subject: MfaSubject, challengeId: string, method: FactorType, code: string, context: RequestContext = {}, rememberDevice = false, enrollmentId?: string): Promise<VerifyResult> {
    return this.challenges.verify(subject, challengeId, method, code, context, rememberDevice, enrollmentId);
  }

  /**
   * A verify body the adapter refused (400): a failed attempt on `method` when the challenge
   * belongs to this session and `method` is a factor type; otherwise nothing is counted.
   */
  countMalformedVerify(subject: MfaSubject, challengeId: string, method: unknown): Promise<void> {
    return countMalformedVerify(this.ctx, this.limiter, subject, challengeId, method);
  }

  /** The user's live trusted devices; `currentCookie` marks the one the request came from. */
  listTrustedDevices(userId: string, currentCookie?: string): Promise<TrustedDeviceView[]> {
    return this.devices.list(userId, currentCookie);
  }

  /** The user revokes one of their devices (needs a fresh verification). */
  async revokeOwnDevice(subject: MfaSubject, deviceId: string, context: RequestContext = {}): Promise<void> {
    await this.enrollments.requireFreshVerification(subject, context);
    await this.lifecycle.revokeDevice(subject, deviceId, 'user');
  }

  /** The user revokes all their devices (needs a fresh verification). */
  async revokeOwnDevices(subject: MfaSubject, context: RequestContext = {}): Promise<number> {
    await this.enrollments.requireFreshVerification(subject, context);
    return this.devices.revokeAll(subject, 'user');
  }

  /** Removes one of the user's factors (needs a fresh verification; never the last while enrollment is mandatory). */
  removeFactor(subject: MfaSubject, enrollmentId: string, context: RequestContext = {}): Promise<void> {
    return this.lifecycle.removeOwnFactor(subject, enrollmentId, context);
  }

  /** Renames one of the user's factors (needs a fresh verification); the label is trimmed, 1–64 characters. */
  renameFactor(subject: MfaSubject, enrollmentId: string, label: string, context: RequestContext = {}): Promise<FactorView> {
    return this.lifecycle.renameOwnFactor(subject, enrollmentId, label, context);
  }

  /**
   * `{ amr, acr, auth_time }` for one session (a token's `sid`), so a token issuer can mint
   * a token that carries the MFA it passed. `firstFactors`: your own sign-in's RFC 8176
   * values, e.g. `['pwd']`.
   */
  authenticationContext(subject: Pick<MfaSubject, 'userId' | 'sessionId'>, firstFactors: string[] = []): Promise<AuthenticationContext> {
    return authenticationContext(this.ctx.store, subject.userId, subject.sessionId, firstFactors);
  }

  /**
   * Call when your app renews a session id (a token reissued with a new `sid`): the MFA state
   * moves to the new id and the old one carries none. The HTTP layer does it itself after a
   * verification (express-session, or your `rotateSession` hook).
   */
  moveSession(userId: string, fromSessionId: string, toSessionId: string): Promise<void> {
    return this.sessions.move(userId, fromSessionId, toSessionId);
  }

  /** Voids one session's MFA state, e.g. at your app's sign-out or when renewing its id failed. */
  forgetSession(userId: string, sessionId: string): Promise<void> {
    return this.sessions.forget(userId, sessionId);
  }

  /** How many of the user's other sessions (all, without `currentSessionId`) hold MFA state. */
  countOtherSessions(userId: string, currentSessionId?: string): Promise<number> {
    return this.sessions.countOthers(userId, currentSessionId);
  }

  /** Voids MFA in every other session of the user (needs a fresh verification when they have a factor); returns how many. */
  revokeOtherSessions(subject: MfaSubject, context: RequestContext = {}): Promise<number> {
    return this.sessions.revokeOthers(subject, context);
  }

  /** Where a trusted device stands in for a step under the active policy, plus the given route labels. */
  trustedDeviceWaivers(routes: Iterable<string> = []): string[] {
    return deviceWaivers(this.policy.current(), routes);
  }

  /** Call when the user's password changes: their trusted devices are voided. Returns how many. */
  passwordChanged(userId: string): Promise<number> {
    return this.lifecycle.passwordChanged(userId);
  }

  /** Spends a help-desk recovery ticket issued for this user; their old factors are removed so they can enroll anew. */
  redeemRecoveryTicket(subject: MfaSubject, ticket: string): Promise<void> {
    return this.lifecycle.redeemRecoveryTicket(subject, ticket);
  }

  /** Admin: a user's MFA metadata (factors, backup codes left, devices, lockout, enrollment state). */
  async adminViewUser(userId: string): Promise<UserMfaView> {
    return this.lifecycle.viewUser(userId, await this.lockoutStatus(userId));
  }

  adminResetFactor(admin: MfaSubject, userId: string, enrollmentId: string): Promise<void> {
    return this.lifecycle.resetFactor(admin, userId, enrollmentId);
  }

  adminForceReenrollment(admin: MfaSubject, userId: string): Promise<void> {
    return this.lifecycle.forceReenrollment(admin, userId);
  }

  adminRevokeDevice(admin: MfaSubject, userId: string, deviceId: string): Promise<void> {
    return this.lifecycle.revokeDevice({ userId }, deviceId, `admin:${admin.userId}`, admin.userId);
  }

  adminRevokeDevices(admin: MfaSubject, userId: string): Promise<number> {
    return this.devices.revokeAll({ userId }, `admin:${admin.userId}`, admin.userId);
  }

  /** A new backup-code set for the user, returned once to the admin (who hands it over out of band). */
  adminRegenerateBackupCodes(admin: MfaSubject, userId: string): Promise<string[]> {
    return this.enrollments.regenerateFor(admin, userId);
  }

  adminIssueRecoveryTicket(admin: MfaSubject, userId: string, reason?: string, ttlHours?: number): Promise<RecoveryTicketIssued> {
    return this.lifecycle.issueRecoveryTicket(admin, userId, reason, ttlHours);
  }

  /**
   * What a user would face on a target in a context, and why — for a fresh session, with
   * no side effects: nothing is written, no challenge is opened, nothing is audited. The
   * decision is the guard's; `layers` is every requirement behind it, in the order checked.
   */
  async explain(who: ExplainSubject, target: MfaTarget, context: RequestContext = {}): Promise<PolicyExplanation> {
    await this.policy.init();
    const [enrollments, state] = await Promise.all([this.ctx.store.listEnrollments(who.userId), this.ctx.store.findUserState(who.userId)]);
    const facts = {
      enrolled: enrollments.some((e) => e.status === 'active'),
      requiredSince: state?.enrollmentRequiredSince ?? null,
      reenrollmentForcedAt: state?.reenrollmentForcedAt ?? null,
    };
    return explainPolicy(this.policy.current(), target, context, { userId: who.userId, groups: who.groups ?? [] }, facts, this.ctx.clock.now());
  }

  startTotpEnrollment(subject: MfaSubject, label?: string, context: RequestContext = {}): Promise<TotpEnrollmentStart> {
    return this.enrollments.startTotp(subject, label, context);
  }

  confirmTotpEnrollment(subject: MfaSubject, enrollmentId: string, code: string, context: RequestContext = {}): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.enrollments.confirmTotp(subject, enrollmentId, code, context);
  }

  /** Sends (or re-sends) an SMS or email code for a pending challenge; 429 RESEND_TOO_SOON inside the cooldown. */
  sendChallengeCode(subject: MfaSubject, challengeId: string, method: DeliveryChannel, enrollmentId?: string): Promise<CodeSent> {
    return this.challenges.sendCode(subject, challengeId, method, enrollmentId);
  }

  /** Binds a phone number (E.164) or email address; the code sent to it confirms the binding. */
  startDeliveryEnrollment(subject: MfaSubject, channel: DeliveryChannel, target: string, label?: string, context: RequestContext = {}): Promise<DeliveryEnrollmentStart> {
    return this.enrollments.startDelivery(subject, channel, target, label, context);
  }

  resendDeliveryEnrollment(subject: MfaSubject, channel: DeliveryChannel, enrollmentId: string): Promise<DeliveryEnrollmentStart> {
    return this.enrollments.resendDelivery(subject, channel, enrollmentId);
  }

  confirmDeliveryEnrollment(subject: MfaSubject, channel: DeliveryChannel, enrollmentId: string, code: string, context: RequestContext = {}): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    return this.enrollments.confirmDelivery(subject, channel, enrollmentId, code, context);
  }

  /**
   * A provider's delivery report (Twilio StatusCallback, Vonage DLR). The SMS sender
   * authenticates it; a request it cannot authenticate is refused.
   */
  async recordDeliveryStatus(provider: string, request: StatusCallbackRequest): Promise<{ recorded: boolean }> {
    const report = this.ctx.sms?.parseStatusCallback?.(provider, request) ?? null;
    if (!report) throw new MfaError('DELIVERY_CALLBACK_REJECTED');
    return { recorded: await this.delivery.recordStatus(report) };
  }

  /** An administrator lifts every lock and count of a user; audited with the admin. */
  async adminClearLockout(admin: MfaSubject, userId: string): Promise<void> {
    await this.clearLockout(userId);
    this.audit.record({ userId }, { type: 'admin.lockout_cleared', severity: 'warning', outcome: 'success', actor: admin.userId });
  }

  /** Resolves when every notification started so far has been handed over (or failed). */
  notificationsSettled(): Promise<void> {
    return this.notifications.settled();
  }

  listEnrollments(subject: MfaSubject): Promise<EnrollmentSummary> {
    return this.enrollments.list(subject);
  }

  regenerateBackupCodes(subject: MfaSubject, context: RequestContext = {}): Promise<string[]> {
    return this.enrollments.regenerateBackupCodes(subject, context);
  }

  listPolicyVersions(): Promise<PolicyVersionView[]> {
    return this.policy.versions();
  }

  getPolicyVersion(version: number): Promise<PolicyVersionView> {
    return this.policy.version(version);
  }

  createPolicyVersion(document: unknown, author: string, comment?: string): Promise<PolicyVersionView> {
    return this.policy.create(document, author, comment);
  }

  activatePolicyVersion(version: number, actor: string): Promise<PolicyVersionView> {
    return this.policy.activate(version, actor);
  }

  rollbackPolicy(actor: string): Promise<PolicyVersionView> {
    return this.policy.rollback(actor);
  }

  /**
   * Feeds one of the app's own failures (a wrong password) into the account-wide count, so
   * MFA lockout and login protection share one account state.
   */
  recordLoginFailure(userId: string, channel = 'password'): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    return this.limiter.recordExternalFailure(userId, channel);
  }

  /** Failures and remaining lock time per channel and account-wide, for the app or a help desk. */
  lockoutStatus(userId: string): Promise<Record<string, { failures: number; lockedForSeconds: number }>> {
    return this.limiter.status(userId, FACTOR_TYPES);
  }

  /** Lifts every lock and count of a user (an administrator's decision). */
  clearLockout(userId: string): Promise<void> {
    return this.limiter.clear(userId, [...FACTOR_TYPES, 'password']);
  }

  /** Searches the audit trail (newest first, paginated) when the sink can be searched. */
  queryAudit(query: AuditQuery): Promise<AuditPage> {
    if (!this.ctx.auditReader) return Promise.reject(new MfaError('AUDIT_QUERY_UNAVAILABLE'));
    return this.ctx.auditReader.query(query);
  }

  /** Re-seals every TOTP secret under the current key. Safe to run while serving. */
  rotateEncryptionKeys(): Promise<number> {
    return rotateSealedSecrets(this.ctx);
  }

  async close(): Promise<void> {
    await Promise.all([this.ctx.store.close?.(), this.ctx.counters.close?.(), this.ctx.sessionInvalidation?.close?.()]);
  }
}
