import type { ResolvedLockout } from '../options/resolve-options';

interface CountPeek {
  count: number;
  retryAfterMs: number;
}

/**
 * The account-wide rule (NIST 800-63B §5.2.2: at most 100 consecutive failures, growing
 * waits preferred). After `accountDelayAfter` consecutive failures across all channels,
 * each attempt opens a wait before the next one — 1 min, doubling per further failure, at
 * most 15 min by default — instead of a flat lock: whoever holds only the password can slow
 * the owner down by minutes, not shut them out for a day. At `accountMaxAttempts` the
 * account locks until the count's window ends. These are pure; `AttemptLimiter` applies them.
 */
export function accountWaitMs(lockout: ResolvedLockout, failures: number): number {
  if (failures < lockout.accountDelayAfter) return 0;
  return Math.min(
    lockout.accountDelayMs * lockout.growth ** (failures - lockout.accountDelayAfter),
    lockout.accountMaxDelayMs,
  );
}

/** Why the account refuses an attempt now — before it is counted anywhere — or null. */
export function accountRefusal(
  lockout: ResolvedLockout,
  account: CountPeek,
  wait: CountPeek,
): { reason: string; retryMs: number } | null {
  if (account.count >= lockout.accountMaxAttempts) return { reason: 'account locked', retryMs: account.retryAfterMs };
  if (wait.count > 0) return { reason: 'account waiting', retryMs: wait.retryAfterMs };
  return null;
}
