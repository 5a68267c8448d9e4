/**
 * `nestjs-mfa/redis`: attempt counters and session invalidation shared by every instance
 * (ioredis ^5). `etc/redis.api.md` is the reviewed surface.
 */
export { RedisCounterStore, RedisSessionInvalidation } from '../libs/redis/src';

// The ports they implement (also in `nestjs-mfa/core`)
export type { CounterStore, CounterHit, SessionInvalidationBus, SessionInvalidation } from '../libs/core/src';
