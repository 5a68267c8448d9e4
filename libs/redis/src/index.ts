export { RedisCounterStore } from './redis-counter.store';
