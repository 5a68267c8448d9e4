import { randomBytes, randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { RequestContext } from '../policy/request-context';
import { EnrollmentRecord } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import { ChallengeService } from './challenge.service';
import { EnrollmentService, EnrollmentSummary, FactorView, toView } from './enrollment.service';
import { normalizeDisplayText, normalizeLabel } from './factor-label';
import { ResolvedMfaContext } from './mfa-options';
import { NotificationService } from './notification.service';
import { PolicyService } from './policy.service';
import { TrustedDeviceService, TrustedDeviceView } from './trusted-device.service';

/** What an admin sees of a user: metadata only, never a secret or a full target. */
export interface UserMfaView extends EnrollmentSummary {
  userId: string;
  devices: TrustedDeviceView[];
  lockout: Record<string, { failures: number; lockedForSeconds: number }>;
  enrollment: { requiredSince: string | null; reenrollmentForcedAt: string | null };
}

/** Shown once to the admin, who hands it to the user out of band. */
export interface RecoveryTicketIssued {
  ticket: string;
  expiresAt: string;
}

type Actor = Partial<MfaSubject> & { userId: string };
const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/**
 * Removing and resetting factors, forced re-enrollment, help-desk recovery and the
 * password-change hook. Every reset voids the user's trusted devices and the MFA state
 * of all their sessions; every change is audited (with the acting admin) and notified.
 */
export class LifecycleService {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
    private readonly challenges: ChallengeService,
    private readonly enrollments: EnrollmentService,
    private readonly devices: TrustedDeviceService,
    private readonly notifications: NotificationService,
  ) {}

  /** The user's own removal: fresh step-up, and never the last factor while enrollment is mandatory for them. */
  async removeOwnFactor(subject: MfaSubject, enrollmentId: string, context: RequestContext): Promise<void> {
    await this.enrollments.requireFreshVerification(subject, context);
    const active = (await this.ctx.store.listEnrollments(subject.userId)).filter((e) => e.status === 'active');
    const target = active.find((e) => e.id === enrollmentId);
    if (!target) throw new MfaError('ENROLLMENT_NOT_FOUND');
    if (active.length === 1 && this.enrollmentMandatoryFor(subject)) throw new MfaError('LAST_FACTOR_REQUIRED');
    await this.removeFactor(subject, target, 'user');
  }

  /** Only the owner's own active factor (anyone else's id is simply not found); a change like any other, so it needs a fresh verification. */
  async renameOwnFactor(subject: MfaSubject, enrollmentId: string, rawLabel: string, context: RequestContext): Promise<FactorView> {
    const label = normalizeLabel(rawLabel);
    await this.enrollments.requireFreshVerification(subject, context);
    const target = enrollmentId.length <= 64 ? await this.ctx.store.findEnrollment(subject.userId, enrollmentId) : null;
    if (!target || target.status !== 'active' || !(await this.ctx.store.setEnrollmentLabel(subject.userId, target.id, label))) throw new MfaError('ENROLLMENT_NOT_FOUND');
    // The label itself stays out of the trail: users type phone numbers and names into it.
    this.audit.record(subject, { type: 'factor.renamed', severity: 'info', channel: target.type, outcome: 'success', enrollmentId: target.id });
    return toView({ ...target, label });
  }

  /** An admin's reset of one factor. */
  async resetFactor(admin: MfaSubject, userId: string, enrollmentId: string): Promise<void> {
    const target = (await this.ctx.store.listEnrollments(userId)).find((e) => e.id === enrollmentId);
    if (!target) throw new MfaError('ENROLLMENT_NOT_FOUND');
    await this.removeFactor({ userId }, target, `admin:${admin.userId}`, admin.userId);
  }

  /** Every factor, backup code, device and session verification goes; the next request must enroll anew. */
  async forceReenrollment(admin: MfaSubject, userId: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.wipeFactors({ userId }, `admin:${admin.userId}`, admin.userId);
    await this.ctx.store.setReenrollmentForced(userId, now);
    this.audit.record({ userId }, { type: 'admin.reenrollment_forced', severity: 'critical', outcome: 'success', actor: admin.userId });
  }

  async revokeDevice(actor: Actor, deviceId: string, by: string, adminId?: string): Promise<void> {
    if (!(await this.devices.revoke(actor, deviceId, by, undefined, adminId))) throw new MfaError('DEVICE_NOT_FOUND');
  }

  /** A help-desk ticket: 128 random bits, single use, 24 h by default; only its digest is stored. */
  async issueRecoveryTicket(admin: MfaSubject, userId: string, rawReason: string | undefined, ttlHours = 24): Promise<RecoveryTicketIssued> {
    if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > 72) throw new MfaError('VALIDATION_FAILED', { errors: [{ field: 'ttlHours', problems: ['from 1 to 72 hours'] }] });
    // The reason lands in the audit trail and help-desk views: the label rule keeps it one honest line.
    const reason = rawReason === undefined ? undefined : normalizeDisplayText(rawReason, 'reason', MAX_REASON_LENGTH);
    const now = this.ctx.clock.now();
    const id = randomUUID();
    const secret = randomBytes(16).toString('base64url');
    const expiresAt = now + ttlHours * 3_600_000;
    await this.ctx.store.createRecoveryTicket({
      id, userId, codeDigest: this.ctx.keyRing.digest(ticketMaterial(id, userId, secret)), issuedBy: admin.userId, reason: reason ?? null, createdAt: now, expiresAt, redeemedAt: null,
    });
    this.audit.record({ userId }, { type: 'recovery.ticket_issued', severity: 'critical', outcome: 'success', actor: admin.userId, reason: reason ?? undefined });
    this.notifications.notify({ userId }, { type: 'recovery.issued' });
    return { ticket: `${id}.${secret}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * The signed-in user spends a ticket issued for them: their lost factors, codes and
   * devices are removed, so they can enroll anew on their password alone.
   */
  async redeemRecoveryTicket(subject: MfaSubject, ticket: string): Promise<void> {
    const [id, secret] = ticket.split('.');
    const record = id && secret && id.length <= 64 ? await this.ctx.store.findRecoveryTicket(id) : null;
    const now = this.ctx.clock.now();
    // Unknown, foreign, forged, spent and expired tickets all look the same to the caller.
    const valid =
      record && record.userId === subject.userId && record.redeemedAt === null && record.expiresAt > now &&
      this.ctx.keyRing.digestMatches(record.codeDigest, ticketMaterial(record.id, subject.userId, secret));
    if (!valid || !(await this.ctx.store.redeemRecoveryTicket(record.id, now))) {
      this.audit.record(subject, { type: 'recovery.ticket_refused', severity: 'high', outcome: 'refused' });
      throw new MfaError('RECOVERY_TICKET_INVALID');
    }
    await this.wipeFactors(subject, 'recovery');
    this.audit.record(subject, { type: 'recovery.ticket_redeemed', severity: 'critical', outcome: 'success', reason: `issued by ${record.issuedBy}` });
    this.notifications.notify(subject, { type: 'recovery.redeemed' });
  }

  /** The app calls this when the user's password changes: trusted devices stop counting. */
  async passwordChanged(userId: string): Promise<number> {
    return this.devices.revokeAll({ userId }, 'password-change');
  }

  async viewUser(userId: string, lockout: UserMfaView['lockout']): Promise<UserMfaView> {
    const [summary, devices, state] = await Promise.all([
      this.enrollments.list({ userId, sessionId: '' }),
      this.devices.list(userId),
      this.ctx.store.findUserState(userId),
    ]);
    return {
      userId, ...summary, devices, lockout,
      enrollment: { requiredSince: iso(state?.enrollmentRequiredSince), reenrollmentForcedAt: iso(state?.reenrollmentForcedAt) },
    };
  }

  private enrollmentMandatoryFor(subject: MfaSubject): boolean {
    const rule = this.policy.current().enrollment;
    return rule !== null && (rule.everyone || (subject.groups ?? []).some((g) => rule.groups.includes(g)));
  }

  /** One factor goes; if none is left, its backup codes go too (they recover a factor, they are not one). */
  private async removeFactor(who: Actor, target: EnrollmentRecord, by: string, actor?: string): Promise<void> {
    const now = this.ctx.clock.now();
    if (!(await this.ctx.store.deleteEnrollment(who.userId, target.id))) throw new MfaError('ENROLLMENT_NOT_FOUND');
    const left = (await this.ctx.store.listEnrollments(who.userId)).filter((e) => e.status === 'active');
    if (left.length === 0) await this.ctx.store.replaceBackupCodes(who.userId, [], now);
    await this.devices.revokeAll(who, `factor-reset (${by})`, actor);
    // Verifications made with a kind of factor the user no longer has stop counting; the others stand.
    if (left.length === 0) await this.forgetSessions(who.userId);
    else if (!left.some((e) => e.type === target.type)) await this.forgetSessions(who.userId, target.type);
    this.audit.record(who, { type: 'enrollment.removed', severity: 'warning', channel: target.type, outcome: 'success', enrollmentId: target.id, actor });
    this.notifications.notify(who, { type: 'factor.removed', channel: target.type, maskedTarget: target.maskedTarget ?? undefined });
  }

  private async wipeFactors(who: Actor, by: string, actor?: string): Promise<void> {
    const now = this.ctx.clock.now();
    const all = await this.ctx.store.listEnrollments(who.userId);
    for (const e of all) await this.ctx.store.deleteEnrollment(who.userId, e.id);
    await this.ctx.store.replaceBackupCodes(who.userId, [], now);
    await this.devices.revokeAll(who, `factor-reset (${by})`, actor);
    await this.forgetSessions(who.userId);
    this.audit.record(who, { type: 'enrollment.reset', severity: 'critical', outcome: 'success', actor, reason: `${all.length} factor(s) removed by ${by}` });
  }

  /** Verifications made with a factor that is gone must not keep opening doors. */
  private async forgetSessions(userId: string, factor?: EnrollmentRecord['type']): Promise<void> {
    await this.ctx.store.deleteSessionFactors(userId, factor);
    await this.ctx.sessionCache.invalidateUser(userId); // a revocation other instances must not miss: errors surface
  }
}

/** The `reason` column's width. */
const MAX_REASON_LENGTH = 512;

function ticketMaterial(id: string, userId: string, secret: string): string {
  return `recovery|${id}|${userId}|${secret}`;
}
