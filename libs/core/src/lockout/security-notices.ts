import { AuditTrail } from '../audit/audit-trail';
import { MfaNotification } from '../ports/notifier.port';
import { MfaSubject } from '../subject';
import { lockoutKeys } from './attempt-limiter';
import type { ResolvedMfaContext } from '../options/mfa-context';

type Deps = Pick<ResolvedMfaContext, 'counters' | 'clock'>;

type Who = Partial<MfaSubject> & { userId: string };
type Notice = Omit<MfaNotification, 'userId' | 'at'>;

/**
 * A burst is this many wrong codes within BURST_WINDOW_MS, all channels together: more than
 * the typo or two a person makes, fewer than the 5 that lock a channel, so the user hears of
 * a guessing attacker (who already holds the password) before anything locks.
 */
export const BURST_FAILURES = 3;
export const BURST_WINDOW_MS = 15 * 60_000;
/**
 * At most one notice of each kind per user per hour. Replaying a code or failing on purpose
 * is cheap, so without this the notices would be a mail bomb aimed at the user's inbox
 * (and a bill for SMS-based notifiers); one message already says what to do.
 */
export const NOTICE_INTERVAL_MS = 60 * 60_000;

const burstKey = (userId: string) => lockoutKeys(userId, 'notice:burst').channel;
const noticeKey = (userId: string, type: MfaNotification['type']) => lockoutKeys(userId, `notice:${type}`).channel;

/**
 * Tells the user of signs that someone else is at their second factor: a replayed TOTP
 * code, a burst of wrong codes, a lock. The rate limit goes through the CounterStore, so it
 * holds across instances. Sent and suppressed notices are both audited; a notice never
 * carries a code and never changes the answer to the request that caused it.
 */
export class SecurityNotices {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    private readonly notify: (who: Who, notice: Notice) => void,
  ) {}

  /** A valid code for a spent time step: someone else saw it, on this instance or another (ASVS 2.8.5). */
  replayed(who: Who): Promise<void> {
    return this.send(who, { type: 'totp.replayed', channel: 'totp' });
  }

  /** A passkey's signature counter did not rise: two authenticators hold the same key (WebAuthn §6.1.1). */
  cloned(who: Who, enrollmentId: string): Promise<void> {
    return this.send(who, { type: 'passkey.cloned', channel: 'webauthn', enrollmentId });
  }

  /** An evaluated wrong code; the BURST_FAILURES-th of a window tells the user. */
  async failed(who: Who, channel: string): Promise<void> {
    const hit = await this.guarded(who, channel, () =>
      this.ctx.counters.hit(burstKey(who.userId), BURST_FAILURES, BURST_WINDOW_MS, this.ctx.clock.now()),
    );
    if (hit?.count === BURST_FAILURES) await this.send(who, { type: 'attempts.burst', channel });
  }

  /** A channel locked, or the whole account started waiting or locked. */
  locked(who: Who, channel: string): Promise<void> {
    return this.send(who, { type: 'lockout', channel });
  }

  private async send(who: Who, notice: Notice): Promise<void> {
    const gate = await this.guarded(who, notice.channel, () =>
      this.ctx.counters.hit(noticeKey(who.userId, notice.type), 1, NOTICE_INTERVAL_MS, this.ctx.clock.now()),
    );
    if (!gate) return;
    if (!gate.allowed) {
      this.audit.record(who, {
        type: 'notification.suppressed',
        severity: 'info',
        outcome: 'refused',
        channel: notice.channel,
        reason: notice.type,
      });
      return;
    }
    this.notify(who, notice);
  }

  /** Counters that are down cost the user a notice, never the answer to their request. */
  private async guarded<T>(who: Who, channel: string | undefined, count: () => Promise<T>): Promise<T | null> {
    try {
      return await count();
    } catch {
      this.audit.record(who, {
        type: 'notification.failed',
        severity: 'high',
        outcome: 'failure',
        channel,
        reason: 'counters unavailable',
      });
      return null;
    }
  }
}
