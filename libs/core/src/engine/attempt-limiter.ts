import { MfaError } from '../errors/mfa.error';
import { ResolvedMfaContext } from './mfa-options';
import { AuditTrail } from '../audit/audit-trail';
import { MfaSubject } from '../subject';

const DAY_MS = 86_400_000;
export const ACCOUNT_CHANNEL = 'account';

/**
 * Counter keys hang off the resolved user id, never the login name the client typed. The
 * braces are a Redis hash tag: all of one user's counters live in one cluster slot, so
 * they can be counted together in one script.
 */
export const lockoutKeys = (userId: string, channel: string) => ({
  channel: `mfa:{${userId}}:${channel}`,
  strikes: `mfa:{${userId}}:${channel}:strikes`,
  account: `mfa:{${userId}}:${ACCOUNT_CHANNEL}`,
});

/**
 * The one place lockout is enforced. Every code check runs inside `attempt`, which
 * counts the attempt — on its channel and account-wide — before evaluating it; once a
 * limit is passed a right code and a wrong code get the same MFA_LOCKED answer. A channel
 * that locks again within a day stays locked longer each time.
 */
export class AttemptLimiter {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
  ) {}

  async attempt<T>(subject: MfaSubject, channel: string, check: () => Promise<T | null>): Promise<T> {
    const keys = lockoutKeys(subject.userId, channel);
    const { counters, clock, lockout } = this.ctx;
    const now = clock.now();
    const { maxAttempts, windowSeconds } = lockout.channel(channel);
    const strikes = (await counters.peek(keys.strikes, now)).count;
    const lockMs = Math.min(windowSeconds * 1000 * lockout.growth ** strikes, lockout.maxLockMs);
    const hits = [
      { key: keys.channel, limit: maxAttempts, windowMs: lockMs },
      { key: keys.account, limit: lockout.accountMaxAttempts, windowMs: lockout.accountWindowMs },
    ];
    const [onChannel, onAccount] = counters.hitMany
      ? await counters.hitMany(hits, now)
      : await Promise.all(hits.map((h) => counters.hit(h.key, h.limit, h.windowMs, now)));
    if (!onChannel.allowed || !onAccount.allowed) {
      // The first refused attempt of a window is the moment the lock begins.
      if (onChannel.count === maxAttempts + 1) await this.locked(subject, channel, onChannel.retryAfterMs, strikes + 1, keys.strikes);
      if (onAccount.count === lockout.accountMaxAttempts + 1) await this.locked(subject, ACCOUNT_CHANNEL, onAccount.retryAfterMs, 1);
      const retryMs = Math.max(onChannel.allowed ? 0 : onChannel.retryAfterMs, onAccount.allowed ? 0 : onAccount.retryAfterMs);
      this.audit.record(subject, { type: 'attempt.locked', severity: 'warning', channel, outcome: 'refused', reason: onAccount.allowed ? 'channel locked' : 'account locked' });
      throw new MfaError('MFA_LOCKED', {}, Math.max(1, Math.ceil(retryMs / 1000)));
    }
    const result = await check();
    if (result === null) {
      const severity = onChannel.count === maxAttempts ? 'high' : 'info';
      this.audit.record(subject, { type: 'attempt.failed', severity, channel, outcome: 'failure' });
      throw new MfaError('INVALID_CODE');
    }
    if (counters.resetMany) await counters.resetMany([keys.channel, keys.account]);
    else await Promise.all([counters.reset(keys.channel), counters.reset(keys.account)]);
    return result;
  }

  /** The app's own failures (a wrong password) count towards the account-wide cap. */
  async recordExternalFailure(userId: string, channel: string): Promise<{ locked: boolean; retryAfterSeconds: number }> {
    const { counters, clock, lockout } = this.ctx;
    const hit = await counters.hit(lockoutKeys(userId, channel).account, lockout.accountMaxAttempts, lockout.accountWindowMs, clock.now());
    if (hit.count === lockout.accountMaxAttempts + 1) await this.locked({ userId }, ACCOUNT_CHANNEL, hit.retryAfterMs, 1);
    return { locked: !hit.allowed, retryAfterSeconds: hit.allowed ? 0 : Math.ceil(hit.retryAfterMs / 1000) };
  }

  async status(userId: string, channels: readonly string[]): Promise<Record<string, { failures: number; lockedForSeconds: number }>> {
    const { counters, clock, lockout } = this.ctx;
    const now = clock.now();
    const entries = await Promise.all(
      [...channels, ACCOUNT_CHANNEL].map(async (channel) => {
        const keys = lockoutKeys(userId, channel);
        const peek = await counters.peek(channel === ACCOUNT_CHANNEL ? keys.account : keys.channel, now);
        const limit = channel === ACCOUNT_CHANNEL ? lockout.accountMaxAttempts : lockout.channel(channel).maxAttempts;
        return [channel, { failures: Math.min(peek.count, limit), lockedForSeconds: peek.count > limit ? Math.ceil(peek.retryAfterMs / 1000) : 0 }] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** An administrator's unlock: every count of the user, strikes included. */
  async clear(userId: string, channels: readonly string[]): Promise<void> {
    const keys = channels.flatMap((c) => Object.values(lockoutKeys(userId, c)));
    await Promise.all([...new Set(keys)].map((key) => this.ctx.counters.reset(key)));
  }

  /** A lock begins: a strike (so the next one lasts longer), an audit line, the app's event. */
  private async locked(who: Partial<MfaSubject> & { userId: string }, channel: string, retryMs: number, strike: number, strikesKey?: string): Promise<void> {
    if (strikesKey) await this.ctx.counters.hit(strikesKey, Number.MAX_SAFE_INTEGER, DAY_MS, this.ctx.clock.now());
    const retryAfterSeconds = Math.ceil(retryMs / 1000);
    this.audit.record(who, { type: 'lockout', severity: 'high', channel, outcome: 'refused', reason: `strike ${strike}, ${retryAfterSeconds}s` });
    try {
      this.ctx.lockout.onLockout?.({ userId: who.userId, channel, retryAfterSeconds, strike });
    } catch {
      // The app's hook never changes the decision.
    }
  }
}
