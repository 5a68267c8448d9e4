import { AuditTrail } from '../audit/audit-trail';
import type { Reauthentication } from '../enforcement/reauthentication';
import { normalizeLabel } from '../enrollment/factor-label';
import { enrollmentSummary, EnrollmentSummary, FactorView, toView } from '../enrollment/factor-view';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { PolicyService } from '../policy/policy.service';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';
import type { Actor, FactorRemoval } from './factor-removal';
import type { TrustedDeviceService, TrustedDeviceView } from './trusted-device.service';

/** What an admin sees of a user: metadata only, never a secret or a full target. */
export interface UserMfaView extends EnrollmentSummary {
  userId: string;
  devices: TrustedDeviceView[];
  lockout: Record<string, { failures: number; lockedForSeconds: number }>;
  enrollment: { requiredSince: string | null; reenrollmentForcedAt: string | null };
}

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'webauthn'>;
const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/**
 * Removing, renaming and resetting factors, forced re-enrollment, device revocation and the
 * password-change hook. Every change is audited (with the acting admin) and notified.
 */
export class LifecycleService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly policy: PolicyService,
    private readonly reauth: Reauthentication,
    private readonly removal: FactorRemoval,
    private readonly devices: TrustedDeviceService,
  ) {}

  /** The user's own removal: fresh step-up, and never the last factor while enrollment is mandatory for them. */
  async removeOwnFactor(subject: MfaSubject, enrollmentId: string, context: RequestContext): Promise<void> {
    await this.reauth.requireFresh(subject, context);
    const active = (await this.deps.store.listEnrollments(subject.userId)).filter((e) => e.status === 'active');
    const target = active.find((e) => e.id === enrollmentId);
    if (!target) throw new MfaError('ENROLLMENT_NOT_FOUND');
    if (active.length === 1 && this.enrollmentMandatoryFor(subject)) throw new MfaError('LAST_FACTOR_REQUIRED');
    await this.removal.removeOne(subject, target, 'user');
  }

  /** Only the owner's own active factor (anyone else's id is simply not found); a change like any other, so it needs a fresh verification. */
  async renameOwnFactor(
    subject: MfaSubject,
    enrollmentId: string,
    rawLabel: string,
    context: RequestContext,
  ): Promise<FactorView> {
    const { store } = this.deps;
    const label = normalizeLabel(rawLabel);
    await this.reauth.requireFresh(subject, context);
    const target = enrollmentId.length <= 64 ? await store.findEnrollment(subject.userId, enrollmentId) : null;
    if (!target || target.status !== 'active' || !(await store.setEnrollmentLabel(subject.userId, target.id, label)))
      throw new MfaError('ENROLLMENT_NOT_FOUND');
    // The label itself stays out of the trail: users type phone numbers and names into it.
    this.audit.record(subject, {
      type: 'factor.renamed',
      severity: 'info',
      channel: target.type,
      outcome: 'success',
      enrollmentId: target.id,
    });
    return toView({ ...target, label }, this.deps.webauthn?.config.authenticatorNames);
  }

  /** An admin's reset of one factor. */
  async resetFactor(admin: MfaSubject, userId: string, enrollmentId: string): Promise<void> {
    const target = (await this.deps.store.listEnrollments(userId)).find((e) => e.id === enrollmentId);
    if (!target) throw new MfaError('ENROLLMENT_NOT_FOUND');
    await this.removal.removeOne({ userId }, target, `admin:${admin.userId}`, admin.userId);
  }

  /** Every factor, backup code, device and session verification goes; the next request must enroll anew. */
  async forceReenrollment(admin: MfaSubject, userId: string): Promise<void> {
    const now = this.deps.clock.now();
    await this.removal.wipe({ userId }, `admin:${admin.userId}`, admin.userId);
    await this.deps.store.setReenrollmentForced(userId, now);
    this.audit.record(
      { userId },
      { type: 'admin.reenrollment_forced', severity: 'critical', outcome: 'success', actor: admin.userId },
    );
  }

  async revokeDevice(actor: Actor, deviceId: string, by: string, adminId?: string): Promise<void> {
    if (!(await this.devices.revoke(actor, deviceId, by, undefined, adminId))) throw new MfaError('DEVICE_NOT_FOUND');
  }

  /** The app calls this when the user's password changes: trusted devices stop counting. */
  async passwordChanged(userId: string): Promise<number> {
    return this.devices.revokeAll({ userId }, 'password-change');
  }

  async viewUser(userId: string, lockout: UserMfaView['lockout']): Promise<UserMfaView> {
    const [summary, devices, state] = await Promise.all([
      enrollmentSummary(this.deps.store, userId, this.deps.webauthn?.config.authenticatorNames),
      this.devices.list(userId),
      this.deps.store.findUserState(userId),
    ]);
    return {
      userId,
      ...summary,
      devices,
      lockout,
      enrollment: {
        requiredSince: iso(state?.enrollmentRequiredSince),
        reenrollmentForcedAt: iso(state?.reenrollmentForcedAt),
      },
    };
  }

  private enrollmentMandatoryFor(subject: MfaSubject): boolean {
    const rule = this.policy.current().enrollment;
    return rule !== null && (rule.everyone || (subject.groups ?? []).some((g) => rule.groups.includes(g)));
  }
}
