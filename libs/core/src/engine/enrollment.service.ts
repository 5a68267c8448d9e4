import { randomUUID } from 'node:crypto';
import * as QRCode from 'qrcode';
import { AuditTrail } from '../audit/audit-trail';
import { MfaError } from '../errors/mfa.error';
import { MfaSubject } from '../subject';
import { toBase32 } from '../factors/base32';
import { MfaTarget, RequestContext } from '../policy/request-context';
import { AttemptLimiter } from './attempt-limiter';
import { ChallengeService } from './challenge.service';
import { FactorVerifier } from './factor-verifier';
import { ResolvedMfaContext } from './mfa-options';
import { deliveryTargetAad, totpSecretAad } from './secret-aad';
import { CodeSent, DeliveryChannel, OtpDeliveryService } from './otp-delivery.service';
import { NotificationService } from './notification.service';
import { maskTarget } from '../delivery/mask-target';
import { parseDeliveryTarget } from '../delivery/delivery-target';
import { EnrollmentRecord, EnrollmentType } from '../ports/mfa-store.port';
import { defaultTotpLabel, optionalLabel } from './factor-label';

/** Shown once, at enrollment start: the only response that ever carries the seed. */
export interface TotpEnrollmentStart {
  enrollmentId: string;
  secret: string;
  otpauthUri: string;
  qrSvg: string;
  expiresAt: string;
}

/** What binding a phone or address answers: never the full target, only where the code went. */
export interface DeliveryEnrollmentStart extends CodeSent {
  enrollmentId: string;
}

export interface FactorView {
  id: string;
  type: EnrollmentType;
  label: string | null;
  /** SMS and email: `+90 *** *** **12`, `y***@example.com`. */
  maskedTarget?: string;
  status: 'pending' | 'active';
  createdAt: string;
  confirmedAt: string | null;
  lastUsedAt: string | null;
}

export interface EnrollmentSummary {
  factors: FactorView[];
  backupCodes: { remaining: number };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** Unconfirmed enrollments one user may hold per type: enough for a double click and a second tab. */
const MAX_PENDING_PER_TYPE = 5;

/** Binding and managing factors. Only a user with no factor may enroll on password alone. */
export class EnrollmentService {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly verifier: FactorVerifier,
    private readonly challenges: ChallengeService,
    private readonly delivery: OtpDeliveryService,
    private readonly notifications: NotificationService,
  ) {}

  async startTotp(subject: MfaSubject, rawLabel?: string, context: RequestContext = {}): Promise<TotpEnrollmentStart> {
    const label = optionalLabel(rawLabel);
    const enrollments = await this.requireReauthIfEnrolled(subject, context);
    const now = this.ctx.clock.now();
    await this.prunePending(subject.userId, enrollments, 'totp', now);
    const id = randomUUID();
    const secret = this.ctx.totp.createSecret();
    const sealedSecret = this.ctx.keyRing.seal(secret, totpSecretAad(subject.userId, id));
    const profile = this.ctx.totpProfile;
    await this.ctx.store.createEnrollment({
      id, userId: subject.userId, type: 'totp', status: 'pending', label, sealedSecret,
      keyId: this.ctx.keyRing.currentKeyId, profile, maskedTarget: null, lastStep: null, createdAt: now, confirmedAt: null, lastUsedAt: null,
    });
    const otpauthUri = this.ctx.totp.otpauthUri(secret, this.ctx.issuer, subject.accountName ?? subject.userId, profile);
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const manualSecret = toBase32(secret);
    secret.fill(0);
    this.audit.record(subject, { type: 'enrollment.started', severity: 'info', channel: 'totp', enrollmentId: id });
    return { enrollmentId: id, secret: manualSecret, otpauthUri, qrSvg, expiresAt: new Date(now + this.ctx.enrollmentTtlMs).toISOString() };
  }

  /** Activates the enrollment with a valid code; the first factor also gets its backup codes, once. */
  async confirmTotp(subject: MfaSubject, enrollmentId: string, code: string, context: RequestContext = {}): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    const now = this.ctx.clock.now();
    const enrollment = await this.pendingEnrollment(subject, 'totp', enrollmentId, now);
    await this.limiter.attempt(subject, 'totp', async () =>
      (await this.verifier.activateTotp(subject, enrollment, code, now)) ? true : null,
    );
    return this.finishEnrollment(subject, enrollment, now, context);
  }

  /**
   * Binds a phone number or email address: validated (E.164 for phones), sealed at rest,
   * and usable as a factor only after the code sent to it comes back. A user who already
   * has a factor needs a fresh verification first: a new target is a new factor.
   */
  async startDelivery(subject: MfaSubject, channel: DeliveryChannel, rawTarget: string, rawLabel?: string, context: RequestContext = {}): Promise<DeliveryEnrollmentStart> {
    const target = parseDeliveryTarget(channel, rawTarget, this.ctx.delivery.defaultCountry);
    const label = optionalLabel(rawLabel);
    if (!this.delivery.available(channel)) throw new MfaError('FACTOR_UNAVAILABLE', { method: channel });
    const enrollments = await this.requireReauthIfEnrolled(subject, context);
    const now = this.ctx.clock.now();
    await this.prunePending(subject.userId, enrollments, channel, now);
    const id = randomUUID();
    const enrollment: EnrollmentRecord = {
      id, userId: subject.userId, type: channel, status: 'pending', label,
      sealedSecret: this.ctx.keyRing.seal(Buffer.from(target, 'utf8'), deliveryTargetAad(channel, subject.userId, id)),
      keyId: this.ctx.keyRing.currentKeyId, profile: null, maskedTarget: maskTarget(channel, target), lastStep: null,
      createdAt: now, confirmedAt: null, lastUsedAt: null,
    };
    await this.ctx.store.createEnrollment(enrollment);
    this.audit.record(subject, { type: 'enrollment.started', severity: 'info', channel, enrollmentId: id, reason: `to ${enrollment.maskedTarget}` });
    return { enrollmentId: id, ...(await this.delivery.send(subject, enrollment, `enroll:${id}`)) };
  }

  /** A new code for a pending binding; the earlier one dies, failure counts stay. */
  async resendDelivery(subject: MfaSubject, channel: DeliveryChannel, enrollmentId: string): Promise<DeliveryEnrollmentStart> {
    const enrollment = await this.pendingEnrollment(subject, channel, enrollmentId, this.ctx.clock.now());
    return { enrollmentId, ...(await this.delivery.send(subject, enrollment, `enroll:${enrollmentId}`)) };
  }

  async confirmDelivery(subject: MfaSubject, channel: DeliveryChannel, enrollmentId: string, code: string, context: RequestContext = {}): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    const now = this.ctx.clock.now();
    const enrollment = await this.pendingEnrollment(subject, channel, enrollmentId, now);
    await this.limiter.attempt(subject, channel, async () => {
      if ((await this.delivery.spend(subject, channel, `enroll:${enrollmentId}`, code, now)) !== enrollmentId) return null;
      return (await this.ctx.store.activateEnrollment(subject.userId, enrollmentId, null, now)) ? true : null;
    });
    return this.finishEnrollment(subject, enrollment, now, context);
  }

  private async pendingEnrollment(subject: MfaSubject, type: EnrollmentType, enrollmentId: string, now: number): Promise<EnrollmentRecord> {
    const enrollment = enrollmentId.length <= 64 ? await this.ctx.store.findEnrollment(subject.userId, enrollmentId) : null;
    if (!enrollment || enrollment.type !== type || enrollment.status !== 'pending' || enrollment.createdAt + this.ctx.enrollmentTtlMs <= now) {
      throw new MfaError('ENROLLMENT_NOT_FOUND');
    }
    return enrollment;
  }

  /**
   * A double click or a second tab must not void a QR code already scanned, so pending
   * enrollments coexist, each confirmable until it expires. Expired ones go, and so do the
   * oldest of this type beyond the bound, so repeated starts cannot grow the table.
   */
  private async prunePending(userId: string, enrollments: EnrollmentRecord[], type: EnrollmentType, now: number): Promise<void> {
    const pending = enrollments.filter((e) => e.status === 'pending');
    const expired = pending.filter((e) => e.createdAt + this.ctx.enrollmentTtlMs <= now);
    const live = pending.filter((e) => e.type === type && !expired.includes(e)); // oldest first, as listed
    const surplus = live.slice(0, Math.max(0, live.length - (MAX_PENDING_PER_TYPE - 1)));
    await this.ctx.store.dropPendingEnrollments(userId, [...expired, ...surplus].map((e) => e.id));
  }

  /** An unnamed app gets a name no other active app of the user has, so a challenge can tell them apart. */
  private async nameUnnamedApp(userId: string, enrollmentId: string): Promise<string | null> {
    const taken = (await this.ctx.store.listEnrollments(userId)).filter((e) => e.type === 'totp' && e.status === 'active' && e.id !== enrollmentId);
    const label = defaultTotpLabel(taken.map((e) => e.label));
    return (await this.ctx.store.setEnrollmentLabel(userId, enrollmentId, label)) ? label : null;
  }

  /** A confirmed factor verifies this session, tells the user elsewhere, and brings the first backup codes. */
  private async finishEnrollment(subject: MfaSubject, enrollment: EnrollmentRecord, now: number, context: RequestContext): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    if (enrollment.type === 'totp' && enrollment.label === null) enrollment = { ...enrollment, label: await this.nameUnnamedApp(subject.userId, enrollment.id) };
    await this.challenges.recordVerification(subject, enrollment.type, now, context);
    if ((await this.ctx.store.findUserState(subject.userId))?.reenrollmentForcedAt != null) await this.ctx.store.setReenrollmentForced(subject.userId, null);
    this.audit.record(subject, { type: 'enrollment.confirmed', severity: 'warning', channel: enrollment.type, outcome: 'success', enrollmentId: enrollment.id });
    this.notifications.notify(subject, { type: 'factor.added', channel: enrollment.type, maskedTarget: enrollment.maskedTarget ?? undefined, enrollmentId: enrollment.id });
    const hasCodes = (await this.ctx.store.listUnusedBackupCodes(subject.userId)).length > 0;
    const backupCodes = hasCodes ? undefined : await this.issueBackupCodes(subject);
    const factor = toView({ ...enrollment, status: 'active', confirmedAt: now, lastUsedAt: now });
    return backupCodes ? { factor, backupCodes } : { factor };
  }

  async list(subject: MfaSubject): Promise<EnrollmentSummary> {
    const [enrollments, codes] = await Promise.all([
      this.ctx.store.listEnrollments(subject.userId),
      this.ctx.store.listUnusedBackupCodes(subject.userId),
    ]);
    return { factors: enrollments.filter((e) => e.status === 'active').map(toView), backupCodes: { remaining: codes.length } };
  }

  async regenerateBackupCodes(subject: MfaSubject, context: RequestContext = {}): Promise<string[]> {
    // Checked first: with no factor the user cannot step up either, and would only hear "enroll".
    await this.requireFactor(subject.userId);
    await this.challenges.enforce(subject, this.reauthTarget(), context);
    const codes = await this.issueBackupCodes(subject);
    this.notifications.notify(subject, { type: 'backup_codes.regenerated', channel: 'backup_code' });
    return codes;
  }

  /** An admin's regeneration for a user: audited with the admin, the user is told. */
  async regenerateFor(admin: MfaSubject, userId: string): Promise<string[]> {
    await this.requireFactor(userId);
    const codes = await this.issueBackupCodes({ userId }, admin.userId);
    this.notifications.notify({ userId }, { type: 'backup_codes.regenerated', channel: 'backup_code' });
    return codes;
  }

  /** Backup codes recover a factor, they are not one: a user with none gets them with the first. */
  private async requireFactor(userId: string): Promise<void> {
    const active = (await this.ctx.store.listEnrollments(userId)).some((e) => e.status === 'active');
    if (!active) throw new MfaError('BACKUP_CODES_NEED_FACTOR');
  }

  private async issueBackupCodes(subject: Partial<MfaSubject> & { userId: string }, actor?: string): Promise<string[]> {
    const codes = this.ctx.backupCodes.generateSet();
    const hashed = await Promise.all(
      codes.map(async (code) => ({ id: randomUUID(), codeHash: await this.ctx.hasher.hash(this.ctx.backupCodes.normalize(code)!) })),
    );
    await this.ctx.store.replaceBackupCodes(subject.userId, hashed, this.ctx.clock.now());
    this.audit.record(subject, { type: 'backup_codes.issued', severity: 'warning', channel: 'backup_code', outcome: 'success', actor });
    return codes;
  }

  /** Changes to factors and devices need a verification within `reauthMaxAge`. */
  async requireFreshVerification(subject: MfaSubject, context: RequestContext): Promise<void> {
    await this.challenges.enforce(subject, this.reauthTarget(), context);
  }

  /** Returns the user's enrollments, read for the check anyway. */
  private async requireReauthIfEnrolled(subject: MfaSubject, context: RequestContext): Promise<EnrollmentRecord[]> {
    const enrollments = await this.ctx.store.listEnrollments(subject.userId);
    if (enrollments.some((e) => e.status === 'active')) await this.challenges.enforce(subject, this.reauthTarget(), context);
    return enrollments;
  }

  /** Changing factors needs a recent verification (OWASP: reauthenticate with an existing factor). */
  private reauthTarget(): MfaTarget {
    return { service: 'mfa', operation: 'manage-factors', requirement: { steps: [{ factors: 'any', maxAge: this.ctx.reauthMaxAge }] } };
  }
}

export function toView(e: EnrollmentRecord): FactorView {
  const view: FactorView = { id: e.id, type: e.type, label: e.label, status: e.status, createdAt: iso(e.createdAt)!, confirmedAt: iso(e.confirmedAt), lastUsedAt: iso(e.lastUsedAt) };
  if (e.maskedTarget) view.maskedTarget = e.maskedTarget;
  return view;
}
