// Invariant: counting an attempt is atomic on every counter backend — 200 concurrent wrong
// guesses against a limit of 5 evaluate at most 5, and exactly one of the refusals starts the lock.
import { InMemoryCounterStore, CounterStore } from '../../libs/core/src';
import { RedisCounterStore } from '../../libs/redis/src';
import { TypeOrmCounterStore, TypeOrmMfaStore } from '../../libs/typeorm/src';
import { BACKENDS, resetDatabase } from '../support/backends';

interface CounterBackend {
  name: string;
  open(): Promise<{ counters: CounterStore; close(): Promise<void> }>;
}

const COUNTER_BACKENDS: CounterBackend[] = [
  { name: 'in-process', open: async () => ({ counters: new InMemoryCounterStore(), close: async () => undefined }) },
  ...BACKENDS.map((backend) => ({
    name: `database (${backend.name})`,
    open: async () => {
      await resetDatabase(backend);
      const store = await TypeOrmMfaStore.connect(backend.options);
      return { counters: new TypeOrmCounterStore(store.dataSource), close: () => store.close() };
    },
  })),
  ...(process.env.MFA_TEST_REDIS_URL
    ? [
        {
          name: 'redis',
          open: async () => {
            const counters = await RedisCounterStore.connect(process.env.MFA_TEST_REDIS_URL!);
            await counters.reset('race');
            return { counters, close: () => counters.close() };
          },
        },
      ]
    : []),
];

describe.each(COUNTER_BACKENDS.map((b) => [b.name, b] as const))('attempt counters on %s', (_name, backend) => {
  let counters: CounterStore;
  let close: () => Promise<void>;
  const now = Date.UTC(2026, 5, 1);
  beforeEach(async () => ({ counters, close } = await backend.open()));
  afterEach(() => close());

  it('admits at most 5 of 200 concurrent attempts, and one refusal starts the lock', async () => {
    const hits = await Promise.all(Array.from({ length: 200 }, () => counters.hit('race', 5, 900_000, now)));
    expect(hits.filter((h) => h.allowed)).toHaveLength(5);
    expect(hits.filter((h) => !h.allowed && h.count === 6)).toHaveLength(1);
    expect(hits.every((h) => h.retryAfterMs > 0 && h.retryAfterMs <= 900_000)).toBe(true);
    expect((await counters.peek('race', now)).count).toBeGreaterThanOrEqual(6);
  });

  it('opens a new window once the old one ends, and reset clears it', async () => {
    for (let i = 0; i < 6; i++) await counters.hit('race', 5, 60_000, now);
    expect((await counters.hit('race', 5, 60_000, now + 59_999)).allowed).toBe(false);
    const next = await counters.hit('race', 5, 60_000, now + 60_000);
    expect(next).toEqual({ allowed: true, count: 1, retryAfterMs: 60_000 });
    await counters.reset('race');
    expect(await counters.peek('race', now + 60_000)).toEqual({ count: 0, retryAfterMs: 0 });
  });
});
