import { ACCOUNT_CHANNEL, lockoutKeys } from '../lockout/attempt-limiter';
import type { CounterStore } from '../ports/counter-store.port';
import type { RiskSignals } from './risk-signals';

/**
 * The account-wide count the lockout already keeps: consecutive failed attempts on every
 * channel (the app's own wrong passwords included, through `recordLoginFailure`) since the
 * last success, within `lockout.accountWindowSeconds`. No storage of its own; one read.
 */
export async function recentFailures(counters: CounterStore, userId: string, now: number): Promise<number> {
  return (await counters.peek(lockoutKeys(userId, ACCOUNT_CHANNEL).account, now)).count;
}

export function failureBurstSignal(failures: number, threshold: number): RiskSignals['failureBurst'] {
  return failures >= threshold ? { failures } : undefined;
}
