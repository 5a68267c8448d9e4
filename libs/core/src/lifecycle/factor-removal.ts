import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { EnrollmentRecord, MfaStore } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { TrustedDeviceService } from './trusted-device.service';

export type Actor = Partial<MfaSubject> & { userId: string };

type Deps = Pick<ResolvedMfaContext, 'clock' | 'sessionCache'> & {
  store: Pick<MfaStore, 'deleteEnrollment' | 'listEnrollments' | 'replaceBackupCodes' | 'deleteSessionFactors'>;
};

/**
 * Taking factors away, one or all. Every removal voids the user's trusted devices and the
 * verifications that no longer stand on a factor they hold, in every instance's cache.
 */
export class FactorRemoval {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly devices: Pick<TrustedDeviceService, 'revokeAll'>,
    private readonly notifications: Pick<NotificationService, 'notify'>,
  ) {}

  /** One factor goes; if none is left, its backup codes go too (they recover a factor, they are not one). */
  async removeOne(who: Actor, target: EnrollmentRecord, by: string, actor?: string): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    if (!(await store.deleteEnrollment(who.userId, target.id))) throw new MfaError('ENROLLMENT_NOT_FOUND');
    const left = (await store.listEnrollments(who.userId)).filter((e) => e.status === 'active');
    if (left.length === 0) await store.replaceBackupCodes(who.userId, [], now);
    await this.devices.revokeAll(who, `factor-reset (${by})`, actor);
    // Verifications made with a kind of factor the user no longer has stop counting; the others stand.
    if (left.length === 0) await this.forgetSessions(who.userId);
    else if (!left.some((e) => e.type === target.type)) await this.forgetSessions(who.userId, target.type);
    this.audit.record(who, {
      type: 'enrollment.removed',
      severity: 'warning',
      channel: target.type,
      outcome: 'success',
      enrollmentId: target.id,
      actor,
    });
    this.notifications.notify(who, {
      type: 'factor.removed',
      channel: target.type,
      maskedTarget: target.maskedTarget ?? undefined,
    });
  }

  /** Every factor, backup code, device and session verification of the user. */
  async wipe(who: Actor, by: string, actor?: string): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const all = await store.listEnrollments(who.userId);
    for (const e of all) await store.deleteEnrollment(who.userId, e.id);
    await store.replaceBackupCodes(who.userId, [], now);
    await this.devices.revokeAll(who, `factor-reset (${by})`, actor);
    await this.forgetSessions(who.userId);
    this.audit.record(who, {
      type: 'enrollment.reset',
      severity: 'critical',
      outcome: 'success',
      actor,
      reason: `${all.length} factor(s) removed by ${by}`,
    });
  }

  /** Verifications made with a factor that is gone must not keep opening doors. */
  private async forgetSessions(userId: string, factor?: EnrollmentRecord['type']): Promise<void> {
    await this.deps.store.deleteSessionFactors(userId, factor);
    await this.deps.sessionCache.invalidateUser(userId); // a revocation other instances must not miss: errors surface
  }
}
