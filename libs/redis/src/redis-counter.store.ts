import Redis, { RedisOptions } from 'ioredis';
import type { CounterHit, CounterStore } from '../../core/src';
import { RedisSessionInvalidation } from './redis-session-invalidation';

// One atomic step on the server: open the window if it ended, else count. Times are the
// engine's clock (ARGV), so tests move time; the TTL only collects the key afterwards.
const HIT = `
local endsAt = tonumber(redis.call('HGET', KEYS[1], 'e') or '0')
local now = tonumber(ARGV[3])
local count
if endsAt <= now then
  endsAt = now + tonumber(ARGV[2])
  redis.call('HSET', KEYS[1], 'c', 1, 'e', endsAt)
  count = 1
else
  count = redis.call('HINCRBY', KEYS[1], 'c', 1)
end
redis.call('PEXPIRE', KEYS[1], endsAt - now + 60000)
return {count, endsAt - now}
`;

// HIT for each key in turn (ARGV: now, then limit and window per key), in one round trip.
const HIT_MANY = `
local now = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[1 + i * 2])
  local endsAt = tonumber(redis.call('HGET', key, 'e') or '0')
  local count
  if endsAt <= now then
    endsAt = now + window
    redis.call('HSET', key, 'c', 1, 'e', endsAt)
    count = 1
  else
    count = redis.call('HINCRBY', key, 'c', 1)
  end
  redis.call('PEXPIRE', key, endsAt - now + 60000)
  out[#out + 1] = count
  out[#out + 1] = endsAt - now
end
return out
`;

/**
 * CounterStore in Redis, shared by every instance: counters, cooldowns and locks hold
 * cluster-wide. Use `connect()` (or equivalent options) so a Redis outage fails fast —
 * MFA then answers 503 instead of hanging — and recovers by itself when Redis returns.
 */
export class RedisCounterStore implements CounterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'nestjs-mfa:',
    private readonly ownsClient = false,
  ) {}

  /** Connects a client that fails fast while Redis is unreachable and reconnects on its own. */
  static async connect(url: string, options: RedisOptions = {}): Promise<RedisCounterStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: 2000,
      ...options,
    });
    redis.on('error', () => undefined); // surfaced per command as a 503; the client keeps reconnecting
    await redis.connect();
    return new RedisCounterStore(redis, 'nestjs-mfa:', true);
  }

  async hit(key: string, limit: number, windowMs: number, now: number): Promise<CounterHit> {
    const [count, retryAfterMs] = (await this.redis.eval(
      HIT,
      1,
      this.prefix + key,
      String(limit),
      String(windowMs),
      String(now),
    )) as [number, number];
    return { allowed: count <= limit, count, retryAfterMs };
  }

  async peek(key: string, now: number): Promise<{ count: number; retryAfterMs: number }> {
    const [count, endsAt] = await this.redis.hmget(this.prefix + key, 'c', 'e');
    return Number(endsAt) > now
      ? { count: Number(count), retryAfterMs: Number(endsAt) - now }
      : { count: 0, retryAfterMs: 0 };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async hitMany(hits: Array<{ key: string; limit: number; windowMs: number }>, now: number): Promise<CounterHit[]> {
    const args = [String(now), ...hits.flatMap((h) => [String(h.limit), String(h.windowMs)])];
    const out = (await this.redis.eval(
      HIT_MANY,
      hits.length,
      ...hits.map((h) => this.prefix + h.key),
      ...args,
    )) as number[];
    return hits.map((h, i) => ({ allowed: out[i * 2] <= h.limit, count: out[i * 2], retryAfterMs: out[i * 2 + 1] }));
  }

  async resetMany(keys: string[]): Promise<void> {
    await this.redis.del(...keys.map((k) => this.prefix + k));
  }

  /**
   * A session-invalidation bus on the same Redis: with it, every instance's session cache
   * stays exact, and `createMfaEngine` turns the cache on (a satisfied request then costs
   * no store round trip on PostgreSQL or MySQL either).
   */
  sessionInvalidation(): RedisSessionInvalidation {
    return new RedisSessionInvalidation(this.redis);
  }

  async close(): Promise<void> {
    if (this.ownsClient) this.redis.disconnect();
  }
}
