import { AuditTrail } from '../audit/audit-trail';
import { EmailNotifier } from '../delivery/email.notifier';
import { MfaNotification, Notifier } from '../ports/notifier.port';
import { MfaSubject } from '../subject';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { OtpDeliveryService } from './otp-delivery.service';

type Deps = Pick<ResolvedMfaContext, 'notifier' | 'email' | 'store' | 'contactEmail' | 'delivery' | 'issuer' | 'clock'>;

/**
 * Sends notifications without holding up the response and without ever undoing the
 * change: the outcome, including "nobody could be told", lands in the audit trail.
 */
export class NotificationService {
  private readonly notifier?: Notifier;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    delivery: OtpDeliveryService,
  ) {
    this.notifier =
      ctx.notifier ??
      (ctx.email
        ? new EmailNotifier(
            ctx.email,
            async (userId, except) => {
              const enrollments = await ctx.store.listEnrollments(userId);
              const bound = enrollments
                .filter((e) => e.type === 'email' && e.status === 'active' && e.id !== except)
                .map((e) => delivery.openTarget(e));
              const contact = (await ctx.contactEmail?.(userId)) ?? null;
              return [...new Set(contact ? [contact, ...bound] : bound)];
            },
            ctx.delivery.messages,
            ctx.issuer,
          )
        : undefined);
  }

  notify(
    subject: Partial<MfaSubject> & { userId: string },
    notification: Omit<MfaNotification, 'userId' | 'at'>,
  ): void {
    const full: MfaNotification = { ...notification, userId: subject.userId, at: this.ctx.clock.now() };
    const done = this.deliver(subject, full).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  /** Resolves when every notification started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private async deliver(subject: Partial<MfaSubject> & { userId: string }, n: MfaNotification): Promise<void> {
    const base = { channel: n.channel, enrollmentId: n.enrollmentId, reason: n.type };
    if (!this.notifier) {
      this.audit.record(subject, { ...base, type: 'notification.skipped', severity: 'warning', outcome: 'refused' });
      return;
    }
    try {
      const outcome = await this.notifier.notify(n);
      this.audit.record(subject, {
        ...base,
        type: `notification.${outcome}`,
        severity: outcome === 'sent' ? 'info' : 'warning',
        outcome: outcome === 'sent' ? 'success' : 'refused',
      });
    } catch {
      this.audit.record(subject, { ...base, type: 'notification.failed', severity: 'high', outcome: 'failure' });
    }
  }
}
