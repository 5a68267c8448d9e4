import { InMemoryCounterStore } from './in-memory-counter.store';

const windowsOf = (store: InMemoryCounterStore) => (store as unknown as { windows: Map<string, unknown> }).windows;

describe('InMemoryCounterStore', () => {
  it('counts within a window and starts over after it', async () => {
    const store = new InMemoryCounterStore();
    expect((await store.hit('k', 2, 1000, 0)).allowed).toBe(true);
    expect((await store.hit('k', 2, 1000, 10)).allowed).toBe(true);
    expect(await store.hit('k', 2, 1000, 20)).toEqual({ allowed: false, count: 3, retryAfterMs: 980 });
    expect((await store.hit('k', 2, 1000, 1000)).count).toBe(1);
  });

  it('forgets windows of keys never hit again, while keeping every live one', async () => {
    const store = new InMemoryCounterStore();
    // A long window (a lockout) among many short ones that end and are never hit again.
    await store.hit('locked', 5, 3_600_000, 0);
    for (let i = 0; i < 10_000; i++) await store.hit(`once-${i}`, 5, 1000, i);
    expect(windowsOf(store).size).toBeLessThan(2100);
    expect((await store.peek('locked', 10_000)).count).toBe(1);
    for (let i = 0; i < 2000; i++) await store.hit(`later-${i % 10}`, 1_000_000, 1000, 20_000 + i);
    expect(windowsOf(store).size).toBeLessThan(50);
    expect((await store.peek('locked', 22_000)).count).toBe(1);
  });
});
