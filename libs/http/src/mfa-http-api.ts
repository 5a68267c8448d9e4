import type { MfaEngine, MfaSubject, MfaTarget, RequestContext } from '../../core/src';
import { buildRequirement, MfaError } from '../../core/src';
import { ConfirmEnrollmentDto } from './dto/confirm-enrollment.dto';
import { CreatePolicyVersionDto, ExplainDto } from './dto/policy-admin.dto';
import { AuditQueryDto } from './dto/audit-query.dto';
import { StartEnrollmentDto } from './dto/start-enrollment.dto';
import { VerifyChallengeDto } from './dto/verify-challenge.dto';
import { SendChallengeCodeDto, StartEmailEnrollmentDto, StartSmsEnrollmentDto } from './dto/delivery.dto';
import type { MfaOptions } from './mfa-options';
import { contextIsSynchronous, headerOnlyContext, resolveRequestContext } from './request-context.resolver';
import { defaultResolveSubject, MfaRequest } from './subject-resolvers';
import { validateBody } from './validate-body';
import { MfaResponse } from './cookies';
import { deviceCookieName } from './request-context.resolver';
import { unauthenticated } from './unauthenticated-reason';
import { withEnrollmentHints } from './enrollment-hints';
import { renewSession } from './session-renewal';
import { endOtherSessions, otherSessionsOffer, withSessionsOffer } from './other-sessions.offer';
import { adminTargetUser } from './admin-target-user';
import { assertStorableUserId } from './storable-user-id';
import { IssueRecoveryTicketDto, RedeemRecoveryTicketDto } from './dto/lifecycle.dto';
import { RenameFactorDto } from './dto/rename-factor.dto';

/**
 * Everything an MFA endpoint or guard does, once, for both adapters. The Nest controllers
 * and the Express router only map routes to these methods and write the result.
 */
export class MfaHttpApi {
  private readyEngine?: MfaEngine;
  private readonly deviceRoutes = new Set<string>();
  private readonly syncContext: boolean;

  constructor(
    private readonly engine: () => Promise<MfaEngine>,
    private readonly options: MfaOptions,
    /** Where the adapter mounts MFA's endpoints, for the links in refusals. */
    private readonly routePrefix = 'mfa',
  ) {
    this.syncContext = contextIsSynchronous(options);
  }

  /** The guard / middleware: passes, or throws MFA_REQUIRED, MFA_DENIED, MFA_ENROLLMENT_REQUIRED, UNAUTHENTICATED. */
  async guard(req: MfaRequest, target: MfaTarget, res?: MfaResponse): Promise<void> {
    // The hot path (a satisfied session, cached state, no hooks) awaits nothing.
    const engine = this.readyEngine ?? (this.readyEngine = await this.engine());
    const unmapped = target.service === undefined && target.operation === undefined && target.requirement === undefined;
    if (unmapped && engine.unmappedRoutesOpen) return;
    if (target.requirement && target.requirement.steps.length === 0) return; // @SkipMfa: the route opts out entirely
    const resolved = this.resolveSubject(req);
    const subject = resolved instanceof Promise ? await resolved : resolved;
    if (!subject) {
      if (unmapped) return; // anonymous requests on unmapped routes are the app's own business
      throw unauthenticated(req, this.options.resolveSubject !== undefined);
    }
    const context = this.syncContext ? headerOnlyContext(req, this.options) : await this.context(req, subject);
    if (engine.satisfiedFromCache(subject, target, context)) return;
    const outcome = await engine.enforce(subject, target, context).catch(async (err) => {
      throw await withSessionsOffer(withEnrollmentHints(err, this.routePrefix), () => this.sessionsOffer(subject.userId, subject.sessionId));
    });
    // Mandatory enrollment: the client learns how long it may still defer.
    if (outcome.enrollmentGraceSeconds !== undefined) res?.setHeader?.('MFA-Enrollment-Grace', String(outcome.enrollmentGraceSeconds));
  }

  /**
   * With `rememberDevice: true`, also sets the trusted-device cookie (where the policy allows)
   * and says truthfully where the device will stand in for a verification: possibly nowhere.
   */
  async verifyChallenge(req: MfaRequest, res?: MfaResponse) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const body = await validateBody(VerifyChallengeDto, req.body).catch(async (refused: unknown) => {
      // Still a failed attempt when it names this session's challenge and a factor; the answer stays the 400.
      const method = req.body && typeof req.body === 'object' ? (req.body as { method?: unknown }).method : undefined;
      await (await this.engine()).countMalformedVerify(subject, String(req.params?.challengeId ?? ''), method);
      throw refused;
    });
    const engine = await this.engine();
    const { trustedDevice, ...verified } = await engine.verifyChallenge(
      subject, String(req.params?.challengeId ?? ''), body.method, body.code, context, body.rememberDevice === true, body.enrollmentId,
    );
    const result = { ...verified, ...(await renewSession(engine, this.options.rotateSession, req, res, subject)).answer };
    if (!trustedDevice) {
      if (body.rememberDevice !== true) return { verified: true as const, ...result };
      return { verified: true as const, ...result, trustedDevice: null, deviceNotRemembered: result.singleUse ? 'single_use_grant' : 'policy_disallows' };
    }
    const cookie = this.options.trustedDeviceCookie ?? {};
    const secure = cookie.secure === undefined || cookie.secure === 'auto' ? isHttps(req) : cookie.secure;
    res?.cookie?.(deviceCookieName(this.options), trustedDevice.cookieValue, {
      httpOnly: true, secure, sameSite: cookie.sameSite ?? 'lax', path: cookie.path ?? '/',
      maxAge: trustedDevice.maxAgeSeconds * 1000, ...(cookie.domain ? { domain: cookie.domain } : {}),
    });
    const waives = engine.trustedDeviceWaivers(this.deviceRoutes);
    return { verified: true as const, ...result, trustedDevice: { ...trustedDevice.device, waives } };
  }

  /**
   * Adapters name the routes whose own requirement lets a trusted device stand in, so the
   * verify answer can list them (`allowTrustedDevice: true` on the decorator or middleware).
   */
  registerDeviceRoute(label: string): void {
    this.deviceRoutes.add(label);
  }

  /** Sends, or re-sends, an SMS or email code for a challenge of this session. */
  async sendChallengeCode(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject } = await this.caller(req);
    const body = await validateBody(SendChallengeCodeDto, req.body);
    return (await this.engine()).sendChallengeCode(subject, String(req.params?.challengeId ?? ''), body.method, body.enrollmentId);
  }

  async startDeliveryEnrollment(req: MfaRequest, channel: 'sms' | 'email') {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const target =
      channel === 'sms' ? (await validateBody(StartSmsEnrollmentDto, req.body)) : (await validateBody(StartEmailEnrollmentDto, req.body));
    const raw = 'phone' in target ? target.phone : target.email;
    return (await this.engine()).startDeliveryEnrollment(subject, channel, raw, target.label, context);
  }

  async resendDeliveryEnrollment(req: MfaRequest, channel: 'sms' | 'email') {
    this.sameOrigin(req);
    const { subject } = await this.caller(req);
    return (await this.engine()).resendDeliveryEnrollment(subject, channel, String(req.params?.enrollmentId ?? ''));
  }

  async confirmDeliveryEnrollment(req: MfaRequest, channel: 'sms' | 'email', res?: MfaResponse) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const body = await validateBody(ConfirmEnrollmentDto, req.body);
    const confirmed = await (await this.engine()).confirmDeliveryEnrollment(subject, channel, String(req.params?.enrollmentId ?? ''), body.code, context);
    return this.factorAdded(req, res, subject, confirmed);
  }

  /**
   * A provider's delivery report. No session: the SMS sender authenticates it (Twilio's
   * signature, Vonage's URL token) or it is refused with 403.
   */
  async deliveryStatus(req: MfaRequest) {
    const headers = (req as { headers?: Record<string, string | undefined> }).headers ?? {};
    return (await this.engine()).recordDeliveryStatus(String(req.params?.provider ?? ''), { query: strings(req.query), body: strings(req.body), headers });
  }

  async listEnrollments(req: MfaRequest) {
    return (await this.engine()).listEnrollments((await this.caller(req)).subject);
  }

  async startTotpEnrollment(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const body = await validateBody(StartEnrollmentDto, req.body);
    return (await this.engine()).startTotpEnrollment(subject, body.label, context);
  }

  async confirmTotpEnrollment(req: MfaRequest, res?: MfaResponse) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const body = await validateBody(ConfirmEnrollmentDto, req.body);
    const confirmed = await (await this.engine()).confirmTotpEnrollment(subject, String(req.params?.enrollmentId ?? ''), body.code, context);
    return this.factorAdded(req, res, subject, confirmed);
  }

  async regenerateBackupCodes(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    return { backupCodes: await (await this.engine()).regenerateBackupCodes(subject, context) };
  }

  async removeFactor(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    await (await this.engine()).removeFactor(subject, String(req.params?.enrollmentId ?? ''), context);
    return { removed: true as const, otherSessions: await this.sessionsOffer(subject.userId, subject.sessionId) };
  }

  /** Answers with the factor view; another user's id is ENROLLMENT_NOT_FOUND. */
  async renameFactor(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    const body = await validateBody(RenameFactorDto, req.body);
    return (await this.engine()).renameFactor(subject, String(req.params?.enrollmentId ?? ''), body.label, context);
  }

  async listDevices(req: MfaRequest) {
    const { subject } = await this.caller(req);
    return { devices: await (await this.engine()).listTrustedDevices(subject.userId, this.deviceCookie(req)) };
  }

  async revokeDevice(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    await (await this.engine()).revokeOwnDevice(subject, String(req.params?.deviceId ?? ''), context);
    return { revoked: 1 };
  }

  async revokeDevices(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    return { revoked: await (await this.engine()).revokeOwnDevices(subject, context) };
  }

  /** A help-desk ticket, redeemed by the signed-in user it was issued for. */
  async redeemRecoveryTicket(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject } = await this.caller(req);
    const body = await validateBody(RedeemRecoveryTicketDto, req.body);
    await (await this.engine()).redeemRecoveryTicket(subject, body.ticket);
    return { redeemed: true as const, next: 'enroll a factor: it is your only one now', otherSessions: await this.sessionsOffer(subject.userId, subject.sessionId) };
  }

  /** Voids MFA in the user's other sessions and ends them through `endOtherSessions`; a change like the others. */
  async revokeOtherSessions(req: MfaRequest) {
    this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    return endOtherSessions(await this.engine(), this.options.endOtherSessions, subject, context);
  }

  async adminViewUser(req: MfaRequest) {
    const { userId } = await this.adminOverUser(req, false);
    return (await this.engine()).adminViewUser(userId);
  }

  async adminForceReenrollment(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    await (await this.engine()).adminForceReenrollment(admin, userId);
    return { reenrollmentForced: true as const, otherSessions: await this.sessionsOffer(userId) };
  }

  async adminResetFactor(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    await (await this.engine()).adminResetFactor(admin, userId, String(req.params?.enrollmentId ?? ''));
    return { removed: true as const, otherSessions: await this.sessionsOffer(userId) };
  }

  async adminRevokeDevice(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    await (await this.engine()).adminRevokeDevice(admin, userId, String(req.params?.deviceId ?? ''));
    return { revoked: 1 };
  }

  async adminRevokeDevices(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    return { revoked: await (await this.engine()).adminRevokeDevices(admin, userId) };
  }

  async adminRegenerateBackupCodes(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    return { backupCodes: await (await this.engine()).adminRegenerateBackupCodes(admin, userId) };
  }

  async adminIssueRecoveryTicket(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    const body = await validateBody(IssueRecoveryTicketDto, req.body ?? {});
    return (await this.engine()).adminIssueRecoveryTicket(admin, userId, body.reason, body.ttlHours);
  }

  async adminClearLockout(req: MfaRequest) {
    const { admin, userId } = await this.adminOverUser(req, true);
    await (await this.engine()).adminClearLockout(admin, userId);
    return { cleared: true as const };
  }

  async listPolicyVersions(req: MfaRequest) {
    await this.admin(req, false);
    return { versions: await (await this.engine()).listPolicyVersions() };
  }

  async getPolicyVersion(req: MfaRequest) {
    await this.admin(req, false);
    return (await this.engine()).getPolicyVersion(versionParam(req));
  }

  async createPolicyVersion(req: MfaRequest) {
    const admin = await this.admin(req, true);
    const body = await validateBody(CreatePolicyVersionDto, req.body);
    return (await this.engine()).createPolicyVersion(body.document, admin.userId, body.comment);
  }

  async activatePolicyVersion(req: MfaRequest) {
    const admin = await this.admin(req, true);
    return (await this.engine()).activatePolicyVersion(versionParam(req), admin.userId);
  }

  async rollbackPolicy(req: MfaRequest) {
    const admin = await this.admin(req, true);
    return (await this.engine()).rollbackPolicy(admin.userId);
  }

  /** No side effects: the decision, the rule, the version, the reasons and every layer of the requirement. */
  async explain(req: MfaRequest) {
    await this.admin(req, false);
    const body = await validateBody(ExplainDto, req.body);
    const { requirement, ...mapping } = body.target ?? {};
    const target: MfaTarget = requirement ? { ...mapping, requirement: buildRequirement({ ...requirement }) } : { ...mapping };
    return (await this.engine()).explain({ userId: body.userId, groups: body.groups }, target, { ...(body.context ?? {}) });
  }

  /** The audit trail, newest first: `?userId=&type=&from=&to=&limit=&cursor=`. */
  async queryAudit(req: MfaRequest) {
    await this.admin(req, false);
    const q = await validateBody(AuditQueryDto, { ...(req.query ?? {}) });
    const page = await (await this.engine()).queryAudit({
      userId: q.userId, type: q.type, cursor: q.cursor,
      from: q.from ? Date.parse(q.from) : undefined, to: q.to ? Date.parse(q.to) : undefined, limit: q.limit ? Number(q.limit) : undefined,
    });
    // Every time in the HTTP contract is ISO 8601; the store and the sinks keep epoch ms.
    return { ...page, events: page.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  }

  /** Every subject enters here; an id the store cannot keep is refused before anything is written under it. */
  /** A confirmed factor verified this session: its id is renewed, then the other sessions are offered an end. */
  private async factorAdded<T extends object>(req: MfaRequest, res: MfaResponse | undefined, subject: MfaSubject, confirmed: T) {
    const renewed = await renewSession(await this.engine(), this.options.rotateSession, req, res, subject);
    return { ...confirmed, ...renewed.answer, otherSessions: await this.sessionsOffer(subject.userId, renewed.subject.sessionId) };
  }

  /** The user's other sessions and where to end them; an admin (no `currentSessionId`) hears about all of them. */
  private async sessionsOffer(userId: string, currentSessionId?: string) {
    return otherSessionsOffer(await this.engine(), this.options.endOtherSessions, this.routePrefix, userId, currentSessionId);
  }

  private resolveSubject(req: MfaRequest): Promise<MfaSubject | null> | MfaSubject | null {
    const resolved = (this.options.resolveSubject ?? defaultResolveSubject)(req);
    if (resolved instanceof Promise) return resolved.then(storableSubject);
    return storableSubject(resolved);
  }

  private async caller(req: MfaRequest): Promise<{ subject: MfaSubject; context: RequestContext }> {
    const subject = await this.resolveSubject(req);
    if (!subject) throw unauthenticated(req, this.options.resolveSubject !== undefined);
    return { subject, context: await this.context(req, subject) };
  }

  private context(req: MfaRequest, subject: MfaSubject): Promise<RequestContext> {
    return resolveRequestContext(req, subject, this.options);
  }

  private deviceCookie(req: MfaRequest): string | undefined {
    return headerOnlyContext(req, this.options).deviceCookie;
  }

  /**
   * CSRF defence for cookie-authenticated changes: browsers mark cross-site requests with
   * `Sec-Fetch-Site` and send `Origin` on every cross-origin POST/DELETE, and neither can
   * be set by a page. Clients that are not browsers send neither and carry no ambient cookie.
   */
  private sameOrigin(req: MfaRequest): void {
    const csrf = this.options.csrf ?? {};
    if (csrf.enabled === false) return;
    const headers = req.headers ?? {};
    const origin = typeof headers.origin === 'string' ? headers.origin : undefined;
    const allowed = (o: string) => csrf.allowedOrigins?.includes(o) ?? false;
    if (origin && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        throw new MfaError('CSRF_REJECTED');
      }
      if (host === headers.host || allowed(origin)) return;
      throw new MfaError('CSRF_REJECTED');
    }
    if (origin === 'null' || headers['sec-fetch-site'] === 'cross-site') throw new MfaError('CSRF_REJECTED');
  }

  /**
   * Admin rights come from the app's hook, but a stolen admin password must not be enough:
   * every admin route needs the admin's own MFA in this session (reads: any factor, any
   * time; changes: a fresh one). No factor is 403 MFA_ENROLLMENT_REQUIRED, never a pass.
   */
  private async admin(req: MfaRequest, changes: boolean): Promise<MfaSubject> {
    if (changes) this.sameOrigin(req);
    const { subject, context } = await this.caller(req);
    if (!this.options.authorizeAdmin || !(await this.options.authorizeAdmin(req, subject))) throw new MfaError('MFA_ADMIN_FORBIDDEN');
    const step = changes ? { factors: 'any' as const, maxAge: this.options.reauthMaxAge ?? 300 } : { factors: 'any' as const };
    const own: MfaTarget = { service: 'mfa', operation: 'admin', requirement: { steps: [step] } };
    await (await this.engine()).enforce(subject, own, context).catch((err) => {
      throw withEnrollmentHints(err, this.routePrefix);
    });
    return subject;
  }

  /** The admin first, so only a verified admin ever learns whether an id exists. */
  private async adminOverUser(req: MfaRequest, changes: boolean): Promise<{ admin: MfaSubject; userId: string }> {
    const admin = await this.admin(req, changes);
    return { admin, userId: await adminTargetUser(req, this.options.userExists) };
  }
}

function storableSubject(subject: MfaSubject | null): MfaSubject | null {
  if (subject) assertStorableUserId(String(subject.userId), 'subject');
  return subject;
}

/** Express sets `req.secure` from the scheme (and X-Forwarded-Proto when `trust proxy` is on). */
function isHttps(req: MfaRequest): boolean {
  return req.secure === true || req.protocol === 'https';
}

function strings(source: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) if (typeof value === 'string') out[key] = value;
  }
  return out;
}

function versionParam(req: MfaRequest): number {
  const raw = String(req.params?.version ?? '');
  if (!/^\d{1,9}$/.test(raw)) throw new MfaError('POLICY_VERSION_NOT_FOUND');
  return Number(raw);
}
