import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import type { SessionVerifications } from '../enforcement/session-verifications';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RequestContext } from '../policy/request-context';
import type { EnrollmentRecord, EnrollmentType } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { BackupCodesService } from './backup-codes.service';
import { assuranceOf, type Assurance } from '../factors/assurance';
import { authenticatorName } from '../factors/passkey/authenticator-names';
import { defaultLabel } from './factor-label';
import { FactorView, toView } from './factor-view';

type Deps = Pick<ResolvedMfaContext, 'store' | 'enrollmentTtlMs' | 'webauthn'>;

/** Unconfirmed enrollments one user may hold per type: enough for a double click and a second tab. */
const MAX_PENDING_PER_TYPE = 5;

/** What every kind of enrollment shares between its start and its confirmation. */
export class PendingEnrollments {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly sessions: SessionVerifications,
    private readonly backupCodes: BackupCodesService,
    private readonly notifications: NotificationService,
  ) {}

  /** A started enrollment of this user and type that may still be confirmed; anything else is not found. */
  async find(subject: MfaSubject, type: EnrollmentType, enrollmentId: string, now: number): Promise<EnrollmentRecord> {
    const enrollment =
      enrollmentId.length <= 64 ? await this.ctx.store.findEnrollment(subject.userId, enrollmentId) : null;
    if (
      !enrollment ||
      enrollment.type !== type ||
      enrollment.status !== 'pending' ||
      enrollment.createdAt + this.ctx.enrollmentTtlMs <= now
    ) {
      throw new MfaError('ENROLLMENT_NOT_FOUND');
    }
    return enrollment;
  }

  /**
   * A double click or a second tab must not void a QR code already scanned, so pending
   * enrollments coexist, each confirmable until it expires. Expired ones go, and so do the
   * oldest of this type beyond the bound, so repeated starts cannot grow the table.
   */
  async prune(userId: string, enrollments: EnrollmentRecord[], type: EnrollmentType, now: number): Promise<void> {
    const pending = enrollments.filter((e) => e.status === 'pending');
    const expired = pending.filter((e) => e.createdAt + this.ctx.enrollmentTtlMs <= now);
    const live = pending.filter((e) => e.type === type && !expired.includes(e)); // oldest first, as listed
    const surplus = live.slice(0, Math.max(0, live.length - (MAX_PENDING_PER_TYPE - 1)));
    await this.ctx.store.dropPendingEnrollments(
      userId,
      [...expired, ...surplus].map((e) => e.id),
    );
  }

  /**
   * An unnamed app or passkey gets a name no other active one of the user has, so a
   * challenge can tell them apart; a passkey is named after its provider where known.
   */
  private async nameUnnamed(enrollment: EnrollmentRecord): Promise<string | null> {
    const { userId, id, type } = enrollment;
    const taken = (await this.ctx.store.listEnrollments(userId)).filter(
      (e) => e.type === type && e.status === 'active' && e.id !== id,
    );
    const aaguid = enrollment.passkey?.aaguid;
    const base =
      type === 'webauthn'
        ? ((aaguid && authenticatorName(aaguid, this.ctx.webauthn?.config.authenticatorNames)) ?? 'Passkey')
        : undefined;
    const label = defaultLabel(
      taken.map((e) => e.label),
      base,
    );
    return (await this.ctx.store.setEnrollmentLabel(userId, id, label)) ? label : null;
  }

  /** A confirmed factor verifies this session, tells the user elsewhere, and brings the first backup codes. */
  async finish(
    subject: MfaSubject,
    enrollment: EnrollmentRecord,
    now: number,
    context: RequestContext,
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    if ((enrollment.type === 'totp' || enrollment.type === 'webauthn') && enrollment.label === null)
      enrollment = { ...enrollment, label: await this.nameUnnamed(enrollment) };
    // A passkey added on the strength of another factor is not itself a verification of this
    // session: that would lend the weaker factor phishing resistance. As the first factor it is.
    const firstFactor = !(await this.ctx.store.listEnrollments(subject.userId)).some(
      (e) => e.status === 'active' && e.id !== enrollment.id,
    );
    if (enrollment.type !== 'webauthn' || firstFactor)
      await this.sessions.record(subject, enrollment.type, now, context, passkeyAssurance(enrollment));
    if ((await this.ctx.store.findUserState(subject.userId))?.reenrollmentForcedAt != null)
      await this.ctx.store.setReenrollmentForced(subject.userId, null);
    this.audit.record(subject, {
      type: 'enrollment.confirmed',
      severity: 'warning',
      channel: enrollment.type,
      outcome: 'success',
      enrollmentId: enrollment.id,
    });
    this.notifications.notify(subject, {
      type: 'factor.added',
      channel: enrollment.type,
      maskedTarget: enrollment.maskedTarget ?? undefined,
      enrollmentId: enrollment.id,
    });
    const hasCodes = (await this.ctx.store.listUnusedBackupCodes(subject.userId)).length > 0;
    const backupCodes = hasCodes ? undefined : await this.backupCodes.issue(subject);
    const factor = toView(
      { ...enrollment, status: 'active', confirmedAt: now, lastUsedAt: now },
      this.ctx.webauthn?.config.authenticatorNames,
    );
    return backupCodes ? { factor, backupCodes } : { factor };
  }
}

/** A first passkey proven at registration counts like one used at a challenge; user verification is not claimed for it. */
function passkeyAssurance(enrollment: EnrollmentRecord): Assurance | undefined {
  if (enrollment.type !== 'webauthn' || !enrollment.passkey) return undefined;
  return assuranceOf('webauthn', { backupEligible: enrollment.passkey.backupEligible, userVerified: false });
}
