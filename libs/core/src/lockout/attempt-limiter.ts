import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { AuditTrail } from '../audit/audit-trail';
import { MfaSubject } from '../subject';
import { counterUserKey } from '../counters/counter-user-key';
import { accountRefusal, accountWaitMs } from './account-waits';
import type { SecurityNotices } from './security-notices';

type Deps = Pick<ResolvedMfaContext, 'counters' | 'clock' | 'lockout'>;

const DAY_MS = 86_400_000;
export const ACCOUNT_CHANNEL = 'account';

/**
 * Counter keys hang off the resolved user id, never the login name the client typed. The
 * braces are a Redis hash tag: all of one user's counters live in one cluster slot, so
 * they can be counted together in one script. `counterUserKey` keeps any id from
 * breaking out of the tag or overflowing the database column.
 */
export const lockoutKeys = (userId: string, channel: string) => {
  const user = counterUserKey(userId);
  return {
    channel: `mfa:{${user}}:${channel}`,
    strikes: `mfa:{${user}}:${channel}:strikes`,
    account: `mfa:{${user}}:${ACCOUNT_CHANNEL}`,
    accountWait: `mfa:{${user}}:${ACCOUNT_CHANNEL}:wait`,
  };
};

/**
 * The one place lockout is enforced. Every code check runs inside `attempt`, which counts
 * the attempt before evaluating it — on its channel, then account-wide — with one atomic
 * step per counter; once a limit is passed a right code and a wrong code get the same
 * MFA_LOCKED answer. A channel that locks again within a day stays locked longer each
 * time. Only attempts that are evaluated count towards the account: a try the account or
 * a locked channel refuses is counted nowhere else, or hammering one locked channel would
 * lock every other one too.
 */
export class AttemptLimiter {
  constructor(
    private readonly ctx: Deps,
    private readonly audit: AuditTrail,
    /** The engine always passes it; a limiter built alone (a counter-store test) tells nobody. */
    private readonly notices?: SecurityNotices,
  ) {}

  /** `reason` marks failures that are not a wrong code (a malformed body) in the audit trail. */
  async attempt<T>(subject: MfaSubject, channel: string, check: () => Promise<T | null>, reason?: string): Promise<T> {
    const keys = lockoutKeys(subject.userId, channel);
    const { counters, clock, lockout } = this.ctx;
    const now = clock.now();
    const { maxAttempts, windowSeconds } = lockout.channel(channel);
    const [strikes, account, wait] = await Promise.all(
      [keys.strikes, keys.account, keys.accountWait].map((key) => counters.peek(key, now)),
    );
    const waiting = accountRefusal(lockout, account, wait);
    if (waiting) throw this.refused(subject, channel, waiting.reason, waiting.retryMs);
    const lockMs = Math.min(windowSeconds * 1000 * lockout.growth ** strikes.count, lockout.maxLockMs);
    const onChannel = await counters.hit(keys.channel, maxAttempts, lockMs, now);
    if (!onChannel.allowed) {
      // The first refused attempt of a window is the moment the lock begins.
      if (onChannel.count === maxAttempts + 1)
        await this.locked(subject, channel, onChannel.retryAfterMs, strikes.count + 1, keys.strikes);
      throw this.refused(subject, channel, 'channel locked', onChannel.retryAfterMs);
    }
    const waitMs = accountWaitMs(lockout, account.count + 1);
    if (waitMs > 0) {
      // The hit that opens a wait is the one attempt it admits, on every instance at once.
      const slot = await counters.hit(keys.accountWait, 1, waitMs, now);
      if (!slot.allowed) throw this.refused(subject, channel, 'account waiting', slot.retryAfterMs);
    }
    const onAccount = await counters.hit(keys.account, lockout.accountMaxAttempts, lockout.accountWindowMs, now);
    if (!onAccount.allowed) throw this.refused(subject, channel, 'account locked', onAccount.retryAfterMs);
    const result = await check();
    if (result === null) {
      const severity = onChannel.count === maxAttempts ? 'high' : 'info';
      this.audit.record(subject, { type: 'attempt.failed', severity, channel, outcome: 'failure', reason });
      await this.accountFailed(subject, onAccount.count, onAccount.retryAfterMs);
      await this.notices?.failed(subject, channel);
      throw new MfaError('INVALID_CODE');
    }
    await this.forgive(subject.userId, channel);
    return result;
  }

  /**
   * Clears the counters a right answer clears: after a success, or when a right answer could
   * not be used through no fault of the user's (the app's session renewal failed).
   */
  async forgive(userId: string, channel: string): Promise<void> {
    const { counters } = this.ctx;
    const keys = lockoutKeys(userId, channel);
    const cleared = [keys.channel, keys.account, keys.accountWait];
    // Counters that fail to clear only stay stricter until their windows end: that must not
    // turn a committed verification into a 503.
    await (
      counters.resetMany ? counters.resetMany(cleared) : Promise.all(cleared.map((key) => counters.reset(key)))
    ).catch((err: unknown) =>
      process.stderr.write(`nestjs-mfa: clearing attempt counters failed: ${errorName(err)}\n`),
    );
  }

  /**
   * The app's own failures (a wrong password) count towards the account-wide rule. One the
   * app should have refused (the account was waiting or locked) is not counted, so wrong
   * passwords alone cannot run the count up to the lock.
   */
  async recordExternalFailure(
    userId: string,
    channel: string,
  ): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    const { counters, clock, lockout } = this.ctx;
    const keys = lockoutKeys(userId, channel);
    const now = clock.now();
    const [account, wait] = await Promise.all([counters.peek(keys.account, now), counters.peek(keys.accountWait, now)]);
    const refusal = accountRefusal(lockout, account, wait);
    if (refusal) return { locked: true, retryAfterSeconds: Math.ceil(refusal.retryMs / 1000) };
    const waitMs = accountWaitMs(lockout, account.count + 1);
    const slot = waitMs > 0 ? await counters.hit(keys.accountWait, 1, waitMs, now) : null;
    if (slot && !slot.allowed) return { locked: true, retryAfterSeconds: Math.ceil(slot.retryAfterMs / 1000) };
    const hit = await counters.hit(keys.account, lockout.accountMaxAttempts, lockout.accountWindowMs, now);
    await this.accountFailed({ userId }, hit.count, hit.retryAfterMs);
    const retryMs = hit.count >= lockout.accountMaxAttempts ? hit.retryAfterMs : (slot?.retryAfterMs ?? 0);
    return { locked: retryMs > 0, retryAfterSeconds: Math.ceil(retryMs / 1000) };
  }

  async status(
    userId: string,
    channels: readonly string[],
  ): Promise<Record<string, { failures: number; lockedForSeconds: number }>> {
    const { counters, clock, lockout } = this.ctx;
    const now = clock.now();
    const entries = await Promise.all(
      [...channels, ACCOUNT_CHANNEL].map(async (channel) => {
        const keys = lockoutKeys(userId, channel);
        if (channel === ACCOUNT_CHANNEL) {
          const [account, wait] = await Promise.all([
            counters.peek(keys.account, now),
            counters.peek(keys.accountWait, now),
          ]);
          const refusal = accountRefusal(lockout, account, wait);
          return [
            channel,
            {
              failures: Math.min(account.count, lockout.accountMaxAttempts),
              lockedForSeconds: refusal ? Math.ceil(refusal.retryMs / 1000) : 0,
            },
          ] as const;
        }
        const peek = await counters.peek(keys.channel, now);
        const limit = lockout.channel(channel).maxAttempts;
        return [
          channel,
          {
            failures: Math.min(peek.count, limit),
            lockedForSeconds: peek.count > limit ? Math.ceil(peek.retryAfterMs / 1000) : 0,
          },
        ] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** An administrator's unlock: every count of the user, strikes included. */
  async clear(userId: string, channels: readonly string[]): Promise<void> {
    const keys = channels.flatMap((c) => Object.values(lockoutKeys(userId, c)));
    await Promise.all([...new Set(keys)].map((key) => this.ctx.counters.reset(key)));
  }

  /** An evaluated failure on the account's count: account-wide waits begin (strike 1), or the account locks (strike 2). */
  private async accountFailed(
    who: Partial<MfaSubject> & { userId: string },
    failures: number,
    windowMs: number,
  ): Promise<void> {
    const { accountMaxAttempts, accountDelayAfter } = this.ctx.lockout;
    if (failures === accountMaxAttempts) await this.locked(who, ACCOUNT_CHANNEL, windowMs, 2);
    else if (failures === accountDelayAfter)
      await this.locked(who, ACCOUNT_CHANNEL, accountWaitMs(this.ctx.lockout, failures), 1);
  }

  private refused(subject: MfaSubject, channel: string, reason: string, retryMs: number): MfaError {
    this.audit.record(subject, { type: 'attempt.locked', severity: 'warning', channel, outcome: 'refused', reason });
    return new MfaError('MFA_LOCKED', {}, Math.max(1, Math.ceil(retryMs / 1000)));
  }

  /** A lock begins: a strike (so the next one lasts longer), an audit line, the user's notice, the app's event. */
  private async locked(
    who: Partial<MfaSubject> & { userId: string },
    channel: string,
    retryMs: number,
    strike: number,
    strikesKey?: string,
  ): Promise<void> {
    if (strikesKey) await this.ctx.counters.hit(strikesKey, Number.MAX_SAFE_INTEGER, DAY_MS, this.ctx.clock.now());
    const retryAfterSeconds = Math.ceil(retryMs / 1000);
    this.audit.record(who, {
      type: 'lockout',
      severity: 'high',
      channel,
      outcome: 'refused',
      reason: `strike ${strike}, ${retryAfterSeconds}s`,
    });
    await this.notices?.locked(who, channel);
    try {
      this.ctx.lockout.onLockout?.({ userId: who.userId, channel, retryAfterSeconds, strike });
    } catch {
      // The app's hook never changes the decision.
    }
  }
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : 'error');
