import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { MfaEngine } from '../../libs/core/src';
import { RedisCounterStore } from '../../libs/redis/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

/** RedisCounterStore.connect() keys every counter under this prefix. */
const COUNTER_PREFIX = 'nestjs-mfa:';

/**
 * Empty schema, no session table, no counter keys in this Redis database: every run starts clean.
 * Every `mfa_%` table goes (not a fixed list), so a migration added later cannot find its table left over.
 */
export async function resetSharedState(postgresUrl: string, redisUrl: string): Promise<void> {
  const ds = await new DataSource({ type: 'postgres', url: postgresUrl }).initialize();
  try {
    const tables: Array<{ name: string }> = await ds.query(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND (tablename LIKE 'mfa\\_%' OR tablename = 'session')",
    );
    for (const { name } of tables) await ds.query(`DROP TABLE IF EXISTS "${name}" CASCADE`); // session: connect-pg-simple's, re-created on first use
  } finally {
    await ds.destroy();
  }
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${COUNTER_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/**
 * What a help desk next to the instances has: the library's engine on the same PostgreSQL
 * and Redis (`clearLockout`, `lockoutStatus`), and read access to rows and keys for the proofs.
 */
export class SharedState {
  private constructor(
    readonly engine: MfaEngine,
    readonly store: TypeOrmMfaStore,
    private readonly redis: Redis,
  ) {}

  static async open(postgresUrl: string, redisUrl: string, encryptionKey: string): Promise<SharedState> {
    const store = await TypeOrmMfaStore.connect({ type: 'postgres', url: postgresUrl });
    const counters = await RedisCounterStore.connect(redisUrl);
    const engine = new MfaEngine({
      store,
      counters,
      encryption: { keys: [{ id: 'k1', key: encryptionKey }] },
      audit: new CapturingAuditSink(),
    });
    return new SharedState(engine, store, new Redis(redisUrl));
  }

  /** An administrator's unlock between proofs: every count, lock and strike of the user. */
  unlock(userId: string): Promise<void> {
    return this.engine.clearLockout(userId);
  }

  async backupCodeRows(userId: string): Promise<{ unused: number; used: number }> {
    const [row] = await this.store.dataSource.query(
      'SELECT count(*) FILTER (WHERE used_at IS NULL)::int AS unused, count(*) FILTER (WHERE used_at IS NOT NULL)::int AS used FROM mfa_backup_codes WHERE user_id = $1',
      [userId],
    );
    return row;
  }

  /** Every counter key of the user with its remaining time to live (-1: no expiry, -2: gone). */
  async counterTtls(userId: string): Promise<Record<string, number>> {
    const keys = await this.redis.keys(`${COUNTER_PREFIX}mfa:{${userId}}:*`);
    const ttls = await Promise.all(keys.map((key) => this.redis.pttl(key)));
    return Object.fromEntries(keys.map((key, i) => [key.slice(COUNTER_PREFIX.length), ttls[i]]));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.engine.close(); // closes the store and the counters
  }
}
