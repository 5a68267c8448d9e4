import { randomUUID } from 'node:crypto';
import * as QRCode from 'qrcode';
import { AuditTrail } from '../audit/audit-trail';
import { deliveryTargetAad, totpSecretAad } from '../crypto/secret-aad';
import { parseDeliveryTarget } from '../delivery/delivery-target';
import { maskTarget } from '../delivery/mask-target';
import type { CodeSent, DeliveryChannel, OtpDeliveryService } from '../delivery/otp-delivery.service';
import type { Reauthentication } from '../enforcement/reauthentication';
import { MfaError } from '../errors/mfa.error';
import { toBase32 } from '../factors/base32';
import type { TotpVerifier } from '../factors/totp.verifier';
import type { AttemptLimiter } from '../lockout/attempt-limiter';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RequestContext } from '../policy/request-context';
import type { EnrollmentRecord } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import { optionalLabel } from './factor-label';
import { enrollmentSummary, EnrollmentSummary, FactorView } from './factor-view';
import type { PendingEnrollments } from './pending-enrollments';

type Deps = Pick<
  ResolvedMfaContext,
  'store' | 'clock' | 'keyRing' | 'totp' | 'totpProfile' | 'issuer' | 'enrollmentTtlMs' | 'delivery' | 'webauthn'
>;

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

/** Binding and managing factors. Only a user with no factor may enroll on password alone. */
export class EnrollmentService {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly limiter: AttemptLimiter,
    private readonly totp: TotpVerifier,
    private readonly reauth: Reauthentication,
    private readonly pending: PendingEnrollments,
    private readonly delivery: OtpDeliveryService,
  ) {}

  async startTotp(subject: MfaSubject, rawLabel?: string, context: RequestContext = {}): Promise<TotpEnrollmentStart> {
    const label = optionalLabel(rawLabel);
    const enrollments = await this.reauth.requireIfEnrolled(subject, context);
    const now = this.ctx.clock.now();
    await this.pending.prune(subject.userId, enrollments, 'totp', now);
    const id = randomUUID();
    const secret = this.ctx.totp.createSecret();
    const sealedSecret = this.ctx.keyRing.seal(secret, totpSecretAad(subject.userId, id));
    const profile = this.ctx.totpProfile;
    await this.ctx.store.createEnrollment({
      id,
      userId: subject.userId,
      type: 'totp',
      status: 'pending',
      label,
      sealedSecret,
      keyId: this.ctx.keyRing.currentKeyId,
      profile,
      maskedTarget: null,
      lastStep: null,
      createdAt: now,
      confirmedAt: null,
      lastUsedAt: null,
    });
    const otpauthUri = this.ctx.totp.otpauthUri(
      secret,
      this.ctx.issuer,
      subject.accountName ?? subject.userId,
      profile,
    );
    const qrSvg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const manualSecret = toBase32(secret);
    secret.fill(0);
    this.audit.record(subject, { type: 'enrollment.started', severity: 'info', channel: 'totp', enrollmentId: id });
    return {
      enrollmentId: id,
      secret: manualSecret,
      otpauthUri,
      qrSvg,
      expiresAt: new Date(now + this.ctx.enrollmentTtlMs).toISOString(),
    };
  }

  /** Activates the enrollment with a valid code; the first factor also gets its backup codes, once. */
  async confirmTotp(
    subject: MfaSubject,
    enrollmentId: string,
    code: string,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    const now = this.ctx.clock.now();
    const enrollment = await this.pending.find(subject, 'totp', enrollmentId, now);
    // Started on an instance with a key this one lacks: the operator's to fix, no attempt of the user's.
    this.totp.requireKey(subject, enrollment);
    await this.limiter.attempt(subject, 'totp', async () =>
      (await this.totp.activate(subject, enrollment, code, now)) ? true : null,
    );
    return this.pending.finish(subject, enrollment, now, context);
  }

  /**
   * Binds a phone number or email address: validated (E.164 for phones), sealed at rest,
   * and usable as a factor only after the code sent to it comes back. A user who already
   * has a factor needs a fresh verification first: a new target is a new factor.
   */
  async startDelivery(
    subject: MfaSubject,
    channel: DeliveryChannel,
    rawTarget: string,
    rawLabel?: string,
    context: RequestContext = {},
  ): Promise<DeliveryEnrollmentStart> {
    const target = parseDeliveryTarget(channel, rawTarget, this.ctx.delivery.defaultCountry);
    const label = optionalLabel(rawLabel);
    if (!this.delivery.available(channel)) throw new MfaError('FACTOR_UNAVAILABLE', { method: channel });
    const enrollments = await this.reauth.requireIfEnrolled(subject, context);
    const now = this.ctx.clock.now();
    await this.pending.prune(subject.userId, enrollments, channel, now);
    const id = randomUUID();
    const enrollment: EnrollmentRecord = {
      id,
      userId: subject.userId,
      type: channel,
      status: 'pending',
      label,
      sealedSecret: this.ctx.keyRing.seal(Buffer.from(target, 'utf8'), deliveryTargetAad(channel, subject.userId, id)),
      keyId: this.ctx.keyRing.currentKeyId,
      profile: null,
      maskedTarget: maskTarget(channel, target),
      lastStep: null,
      createdAt: now,
      confirmedAt: null,
      lastUsedAt: null,
    };
    await this.ctx.store.createEnrollment(enrollment);
    this.audit.record(subject, {
      type: 'enrollment.started',
      severity: 'info',
      channel,
      enrollmentId: id,
      reason: `to ${enrollment.maskedTarget}`,
    });
    return { enrollmentId: id, ...(await this.delivery.send(subject, enrollment, `enroll:${id}`)) };
  }

  /** A new code for a pending binding; the earlier one dies, failure counts stay. */
  async resendDelivery(
    subject: MfaSubject,
    channel: DeliveryChannel,
    enrollmentId: string,
  ): Promise<DeliveryEnrollmentStart> {
    const enrollment = await this.pending.find(subject, channel, enrollmentId, this.ctx.clock.now());
    return { enrollmentId, ...(await this.delivery.send(subject, enrollment, `enroll:${enrollmentId}`)) };
  }

  async confirmDelivery(
    subject: MfaSubject,
    channel: DeliveryChannel,
    enrollmentId: string,
    code: string,
    context: RequestContext = {},
  ): Promise<{ factor: FactorView; backupCodes?: string[] }> {
    const now = this.ctx.clock.now();
    const enrollment = await this.pending.find(subject, channel, enrollmentId, now);
    await this.delivery.liveCode(subject, channel, `enroll:${enrollmentId}`, now); // as confirmTotp: 503 before counting
    await this.limiter.attempt(subject, channel, async () => {
      if ((await this.delivery.spend(subject, channel, `enroll:${enrollmentId}`, code, now)) !== enrollmentId)
        return null;
      return (await this.ctx.store.activateEnrollment(subject.userId, enrollmentId, null, now)) ? true : null;
    });
    return this.pending.finish(subject, enrollment, now, context);
  }

  list(subject: MfaSubject): Promise<EnrollmentSummary> {
    return enrollmentSummary(this.ctx.store, subject.userId, this.ctx.webauthn?.config.authenticatorNames);
  }
}
