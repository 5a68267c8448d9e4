import { connectWithRetry, DatabaseConnectRetry } from './connect-with-retry';

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const badPassword = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' });

/** A fake clock: sleeping moves time instead of waiting for it. */
function run(attempt: () => Promise<string>, retry?: DatabaseConnectRetry) {
  let now = 0;
  const waits: number[] = [];
  const result = connectWithRetry(attempt, retry, {
    isTransient: (err) => (err as { code?: string }).code === 'ECONNREFUSED',
    onRetry: (_err, delayMs) => waits.push(delayMs),
    now: () => now,
    sleep: async (ms) => void (now += ms),
  });
  return { result, waits, elapsed: () => now };
}

describe('connectWithRetry', () => {
  it('waits 250 ms doubling up to 5 s, for 30 s in all, then throws the last failure', async () => {
    const { result, waits, elapsed } = run(() => Promise.reject(refused));
    await expect(result).rejects.toBe(refused);
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000, 2250]);
    expect(elapsed()).toBe(30_000);
  });

  it('returns as soon as the database answers', async () => {
    let calls = 0;
    const { result, waits } = run(() => (++calls < 3 ? Promise.reject(refused) : Promise.resolve('store')));
    await expect(result).resolves.toBe('store');
    expect(waits).toEqual([250, 500]);
  });

  it('fails at once on an error that waiting cannot fix', async () => {
    let calls = 0;
    const { result, waits } = run(() => (++calls, Promise.reject(badPassword)));
    await expect(result).rejects.toBe(badPassword);
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it('honours timeoutMs and maxDelayMs; timeoutMs 0 tries once', async () => {
    const short = run(() => Promise.reject(refused), { timeoutMs: 2000, maxDelayMs: 600 });
    await expect(short.result).rejects.toBe(refused);
    expect(short.waits).toEqual([250, 500, 600, 600, 50]);
    const once = run(() => Promise.reject(refused), { timeoutMs: 0 });
    await expect(once.result).rejects.toBe(refused);
    expect(once.waits).toEqual([]);
  });
});
