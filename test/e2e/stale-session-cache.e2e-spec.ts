// Several instances each cache what sessions have verified. A revocation on one instance
// (a factor reset, a forced re-enrollment) must reach the others' caches at once, through
// Redis pub/sub; while that channel is down, no instance serves from its cache.
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildRequirement,
  ManualClock,
  MfaEngine,
  MfaSubject,
  TotpFactor,
  fromBase32,
  DEFAULT_TOTP_PROFILE,
} from '../../libs/core/src';
import { createMfaEngine } from '../../libs/setup/src';
import { RedisCounterStore } from '../../libs/redis/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { Backend, BACKENDS, resetDatabase } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

const REDIS_URL = process.env.MFA_TEST_REDIS_URL;
const TARGET = { requirement: buildRequirement() };
const USER: MfaSubject = { userId: 'u-cache', sessionId: 'session-1' };
const ADMIN: MfaSubject = { userId: 'u-admin', sessionId: 'admin-session' };

function shared(backend: Backend): { backend: Backend; cleanup: () => void } {
  if (backend.options.type !== 'better-sqlite3') return { backend, cleanup: () => undefined };
  const file = join(tmpdir(), `mfa-cache-${randomUUID()}.sqlite`);
  return {
    backend: { name: 'sqlite-file', options: { type: 'better-sqlite3', database: file } },
    cleanup: () => rmSync(file, { force: true }),
  };
}

const busOf = (engine: MfaEngine) =>
  (engine as unknown as { ctx: { sessionInvalidation: { connected: boolean; close(): Promise<void> } } }).ctx
    .sessionInvalidation;

const until = async (condition: () => boolean, ms = 3000) => {
  for (const end = Date.now() + ms; !condition() && Date.now() < end;) await new Promise((r) => setTimeout(r, 10));
  return condition();
};

(REDIS_URL
  ? describe.each(BACKENDS.map((b) => [b.name, b] as const))
  : describe.skip.each([['no redis', BACKENDS[0]] as const]))('stale session cache on %s', (_name, base) => {
  const key = randomBytes(32).toString('base64');
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  let cleanup: () => void;
  let engines: MfaEngine[];
  let counters: RedisCounterStore[];

  async function instance(backend: Backend, withBus: boolean): Promise<MfaEngine> {
    const store = await TypeOrmMfaStore.connect(backend.options);
    const redis = await RedisCounterStore.connect(REDIS_URL!);
    counters.push(redis);
    return createMfaEngine({
      encryption: { keys: [{ id: 'k1', key }] },
      store,
      counters: redis,
      clock,
      audit: new CapturingAuditSink(),
      ...(withBus
        ? {}
        : {
            sessionCacheTtl: 60,
            sessionInvalidation: undefined,
            counters: { hit: redis.hit.bind(redis), peek: redis.peek.bind(redis), reset: redis.reset.bind(redis) },
          }),
    });
  }

  async function twoInstances(withBus: boolean): Promise<[MfaEngine, MfaEngine]> {
    const s = shared(base);
    cleanup = s.cleanup;
    await resetDatabase(s.backend);
    const a = await instance(s.backend, withBus);
    const b = await instance(s.backend, withBus);
    engines.push(a, b);
    // Subscribing never holds up boot; the caches turn on once each instance listens.
    if (withBus) expect(await until(() => busOf(a).connected && busOf(b).connected)).toBe(true);
    // The user enrolls through A; B then serves a request of that session and caches it.
    const start = await a.startTotpEnrollment(USER);
    await a.confirmTotpEnrollment(
      USER,
      start.enrollmentId,
      new TotpFactor().generate(fromBase32(start.secret), DEFAULT_TOTP_PROFILE, clock.now()),
    );
    await b.enforce(USER, TARGET);
    expect(b.satisfiedFromCache(USER, TARGET)).toBe(true);
    return [a, b];
  }

  beforeEach(() => {
    engines = [];
    counters = [];
  });
  afterEach(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await Promise.all(counters.map((c) => c.close()));
    cleanup();
  });

  it("a forced re-enrollment on A empties B's cache for that user at once", async () => {
    const [a, b] = await twoInstances(true);
    await a.adminForceReenrollment(ADMIN, USER.userId);
    expect(await until(() => !b.satisfiedFromCache(USER, TARGET))).toBe(true);
    await expect(b.enforce(USER, TARGET)).rejects.toMatchObject({ code: 'MFA_ENROLLMENT_REQUIRED' });
  });

  it('without the bus, B would go on serving the revoked verification from its cache (why the bus exists)', async () => {
    const [a, b] = await twoInstances(false);
    await a.adminForceReenrollment(ADMIN, USER.userId);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.satisfiedFromCache(USER, TARGET)).toBe(true);
  });

  it('serves nothing from the cache while the invalidation channel is down', async () => {
    const [, b] = await twoInstances(true);
    await busOf(b).close();
    expect(await until(() => !b.satisfiedFromCache(USER, TARGET))).toBe(true);
    await b.enforce(USER, TARGET); // still allowed, from the store
  });
});
