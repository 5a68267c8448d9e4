export { RedisCounterStore } from './redis-counter.store';
export { RedisSessionInvalidation } from './redis-session-invalidation';
