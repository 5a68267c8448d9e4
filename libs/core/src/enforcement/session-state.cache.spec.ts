import { ManualClock } from '../clock/clock';
import { SessionFactorRecord } from '../ports/mfa-store.port';
import { SessionStateCache } from './session-state.cache';

const totp = (at: number): SessionFactorRecord[] => [
  { sessionRef: 's1', userId: 'u1', factor: 'totp', verifiedAt: at, eventId: 'e1' },
];

describe('SessionStateCache', () => {
  const clock = new ManualClock(1_000_000);

  it('serves a cached read until its TTL, and only to the same user', () => {
    const cache = new SessionStateCache(5000, clock);
    cache.set('s1', 'u1', totp(1), cache.readTicket());
    expect(cache.get('s1', 'u1')).toEqual(totp(1));
    expect(cache.get('s1', 'u2')).toBeUndefined();
    cache.set('s1', 'u1', totp(1), cache.readTicket());
    clock.advance(5);
    expect(cache.get('s1', 'u1')).toBeUndefined();
  });

  it('never caches a read that overlapped a write (it may be stale)', async () => {
    const cache = new SessionStateCache(5000, clock);
    const ticket = cache.readTicket(); // a read starts…
    await cache.invalidateSession('s1'); // …a verification is written meanwhile…
    cache.set('s1', 'u1', [], ticket); // …and the read's old answer must not stick
    expect(cache.get('s1', 'u1')).toBeUndefined();
  });

  it('drops every session of a user at once', async () => {
    const cache = new SessionStateCache(5000, clock);
    cache.set('s1', 'u1', totp(1), cache.readTicket());
    cache.set('s2', 'u1', totp(1), cache.readTicket());
    await cache.invalidateUser('u1');
    expect(cache.get('s1', 'u1')).toBeUndefined();
    expect(cache.get('s2', 'u1')).toBeUndefined();
  });

  it('drops expired entries as new ones are written, so sessions never read again do not pile up', () => {
    const cache = new SessionStateCache(5000, clock);
    const size = () => (cache as unknown as { entries: Map<string, unknown> }).entries.size;
    for (let i = 0; i < 100; i++) cache.set(`gone-${i}`, 'u1', totp(1), cache.readTicket());
    expect(size()).toBe(100);
    clock.advance(6);
    cache.set('fresh', 'u1', totp(1), cache.readTicket());
    expect(size()).toBe(1);
    expect(cache.get('fresh', 'u1')).toEqual(totp(1));
  });

  it('is a no-op when the TTL is 0', () => {
    const cache = new SessionStateCache(0, clock);
    cache.set('s1', 'u1', totp(1), cache.readTicket());
    expect(cache.get('s1', 'u1')).toBeUndefined();
  });
});
