import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { fillTemplate } from '../delivery/otp-messages';
import { DeliveryError } from '../errors/delivery.error';
import { auditingKeyUnavailable } from '../errors/encryption-key-unavailable.error';
import { MfaError } from '../errors/mfa.error';
import { DeliveryReceipt, DeliveryStatusReport } from '../ports/delivery.port';
import { EnrollmentRecord, OtpCodeRecord } from '../ports/mfa-store.port';
import { MfaSubject } from '../subject';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { sealedAadOf } from '../crypto/secret-aad';
import { counterUserKey } from '../counters/counter-user-key';

type Deps = Pick<
  ResolvedMfaContext,
  'sms' | 'email' | 'counters' | 'clock' | 'delivery' | 'keyRing' | 'store' | 'otp' | 'otpProfiles' | 'issuer'
>;

export type DeliveryChannel = 'sms' | 'email';

/** What the client learns of a sent code: where (masked), until when, and when it may ask again. */
export interface CodeSent {
  method: DeliveryChannel;
  sentTo: string;
  expiresAt: string;
  resendAvailableAt: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Issues, sends and spends SMS and email codes. A code is bound to one user, channel
 * and purpose, kept only as a keyed digest, replaced by a resend and spent by one
 * conditional write. Cooldown and cost caps are counted here, before anything is sent.
 */
export class OtpDeliveryService {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
  ) {}

  /** True when the channel has a sender, so it may be enrolled and offered. */
  available(channel: DeliveryChannel): boolean {
    return Boolean(channel === 'sms' ? this.ctx.sms : this.ctx.email);
  }

  async send(subject: MfaSubject, enrollment: EnrollmentRecord, purpose: string): Promise<CodeSent> {
    const channel = enrollment.type as DeliveryChannel;
    if (!this.available(channel)) throw new MfaError('FACTOR_UNAVAILABLE', { method: channel });
    const { counters, clock, delivery, keyRing, store } = this.ctx;
    const now = clock.now();
    const masked = enrollment.maskedTarget ?? '***';
    // Opened before anything is counted: a key this instance lacks is no reason to hold the user back.
    const target = auditingKeyUnavailable(this.audit, subject, channel, enrollment.id, () =>
      this.openTarget(enrollment),
    );
    const cooldownKey = `otp:${counterUserKey(subject.userId)}:${purpose}:${channel}:cooldown`;
    if (delivery.cooldownMs > 0) {
      const cooldown = await counters.hit(cooldownKey, 1, delivery.cooldownMs, now);
      if (!cooldown.allowed) {
        this.audit.record(subject, {
          type: 'code.resend_refused',
          severity: 'info',
          channel,
          outcome: 'refused',
          enrollmentId: enrollment.id,
          reason: 'cooldown',
        });
        throw new MfaError('RESEND_TOO_SOON', {}, Math.max(1, Math.ceil(cooldown.retryAfterMs / 1000)));
      }
    }
    await this.countAgainstCaps(subject, channel, enrollment, `${channel}|${target}`, now);

    const profile = this.ctx.otpProfiles[channel];
    const code = this.ctx.otp.generate(profile);
    const id = randomUUID();
    const record: OtpCodeRecord = {
      id,
      userId: subject.userId,
      channel,
      enrollmentId: enrollment.id,
      purpose,
      createdAt: now,
      expiresAt: now + profile.validitySeconds * 1000,
      codeDigest: '',
    };
    record.codeDigest = keyRing.digest(codeMaterial(record, this.ctx.otp.normalize(code, profile)!));
    const replaced = await store.replaceOtpCode(record, now);

    let receipt: DeliveryReceipt;
    try {
      receipt = await this.deliver(channel, target, code, profile.validitySeconds);
    } catch (err) {
      // An unsent code must not stay live, and a provider's failure must not hold the user back.
      await store.consumeOtpCode(subject.userId, id, now);
      if (delivery.cooldownMs > 0) await counters.reset(cooldownKey);
      const status = err instanceof DeliveryError ? `${err.provider}: ${err.providerStatus}` : 'sender error';
      this.audit.record(subject, {
        type: 'code.delivery_failed',
        severity: 'high',
        channel,
        outcome: 'failure',
        enrollmentId: enrollment.id,
        reason: status,
      });
      throw new MfaError('DELIVERY_FAILED');
    }
    await store.recordOtpDelivery(id, receipt.provider, receipt.messageId ?? null, receipt.status ?? null);
    this.audit.record(subject, {
      type: replaced > 0 ? 'code.resent' : 'code.sent',
      severity: 'info',
      channel,
      outcome: 'success',
      enrollmentId: enrollment.id,
      reason: `to ${masked} via ${receipt.provider}${receipt.status ? ` (${receipt.status})` : ''}`,
    });
    return {
      method: channel,
      sentTo: masked,
      expiresAt: new Date(record.expiresAt).toISOString(),
      resendAvailableAt: new Date(now + delivery.cooldownMs).toISOString(),
    };
  }

  /** Spends the live code for `purpose` if `input` matches it; returns the enrollment it was sent to. */
  async spend(
    subject: MfaSubject,
    channel: DeliveryChannel,
    purpose: string,
    input: string,
    now: number,
  ): Promise<string | null> {
    const live = await this.match(subject, channel, purpose, input, now);
    return live && (await this.ctx.store.consumeOtpCode(subject.userId, live.id, now)) ? live.enrollmentId : null;
  }

  /** The live code for `purpose` if `input` matches it, unspent: a challenge spends it together with what it earns. */
  async match(
    subject: MfaSubject,
    channel: DeliveryChannel,
    purpose: string,
    input: string,
    now: number,
  ): Promise<OtpCodeRecord | null> {
    const code = this.ctx.otp.normalize(input, this.ctx.otpProfiles[channel]);
    if (!code) return null;
    const live = await this.liveCode(subject, channel, purpose, now);
    return live && this.ctx.keyRing.digestMatches(live.codeDigest, codeMaterial(live, code)) ? live : null;
  }

  /** The live code for `purpose`; one digested under a key this instance lacks is a 503 (call before counting). */
  async liveCode(subject: MfaSubject, channel: DeliveryChannel, purpose: string, now: number) {
    const live = await this.ctx.store.findLiveOtpCode(subject.userId, purpose, channel, now);
    if (live)
      auditingKeyUnavailable(this.audit, subject, channel, live.enrollmentId, () =>
        this.ctx.keyRing.requireDigestKey(live.codeDigest),
      );
    return live;
  }

  /** A provider's delivery report, authenticated by the sender that made the message. */
  async recordStatus(report: DeliveryStatusReport): Promise<boolean> {
    const owner = await this.ctx.store.updateDeliveryStatus(
      report.provider,
      report.messageId,
      report.status.slice(0, 32),
      this.ctx.clock.now(),
    );
    if (!owner) return false;
    const failed = /fail|undeliver|reject|expired/i.test(report.status);
    this.audit.record(
      { userId: owner.userId },
      {
        type: 'code.delivery_status',
        severity: failed ? 'warning' : 'info',
        channel: owner.channel,
        outcome: failed ? 'failure' : 'success',
        reason: `${report.provider}: ${report.status.slice(0, 32)}`,
      },
    );
    return true;
  }

  /** The full target, for the provider only. */
  openTarget(enrollment: EnrollmentRecord): string {
    const plain = this.ctx.keyRing.open(enrollment.sealedSecret, sealedAadOf(enrollment));
    const target = plain.toString('utf8');
    plain.fill(0);
    return target;
  }

  /** Per user and per destination, per hour and per day: SMS pumping pays per message. */
  private async countAgainstCaps(
    subject: MfaSubject,
    channel: DeliveryChannel,
    enrollment: EnrollmentRecord,
    destination: string,
    now: number,
  ): Promise<void> {
    const { counters, delivery, keyRing } = this.ctx;
    const dest = keyRing.digest(destination);
    const user = counterUserKey(subject.userId);
    const hits = await Promise.all([
      counters.hit(`otp:user:${user}:hour`, delivery.perUserHour, HOUR_MS, now),
      counters.hit(`otp:user:${user}:day`, delivery.perUserDay, DAY_MS, now),
      counters.hit(`otp:dest:${dest}:hour`, delivery.perDestinationHour, HOUR_MS, now),
      counters.hit(`otp:dest:${dest}:day`, delivery.perDestinationDay, DAY_MS, now),
    ]);
    const refused = hits.filter((h) => !h.allowed);
    if (refused.length === 0) return;
    const which = ['user per hour', 'user per day', 'destination per hour', 'destination per day'].filter(
      (_, i) => !hits[i].allowed,
    );
    this.audit.record(subject, {
      type: 'code.send_capped',
      severity: 'high',
      channel,
      outcome: 'refused',
      enrollmentId: enrollment.id,
      reason: which.join(', '),
    });
    const retryMs = Math.max(...refused.map((h) => h.retryAfterMs));
    throw new MfaError('DELIVERY_LIMIT_REACHED', {}, Math.max(1, Math.ceil(retryMs / 1000)));
  }

  private deliver(
    channel: DeliveryChannel,
    to: string,
    code: string,
    validitySeconds: number,
  ): Promise<DeliveryReceipt> {
    const { messages } = this.ctx.delivery;
    const values = { code, minutes: String(Math.round(validitySeconds / 60)), issuer: this.ctx.issuer };
    if (channel === 'sms') return this.ctx.sms!.send({ to, text: fillTemplate(messages.smsText, values) });
    return this.ctx.email!.send({
      to,
      subject: fillTemplate(messages.emailSubject, values),
      text: fillTemplate(messages.emailText, values),
      html: fillTemplate(messages.emailHtml, values, true),
    });
  }
}

/** What the digest covers: the code and everything it is bound to, so it fits nowhere else. */
function codeMaterial(record: Pick<OtpCodeRecord, 'id' | 'userId' | 'channel' | 'purpose'>, code: string): string {
  return ['otp', record.id, record.userId, record.channel, record.purpose, code].join('|');
}
