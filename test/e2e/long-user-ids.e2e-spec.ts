// Invariant: any user id — 1,000 characters, non-ASCII, mixed case, with `:` `{` `}` — is
// counted, locked and cleared on every counter store without sharing a count with another id
// (one Redis hash tag per user); an id the MFA store cannot keep gets a 400, never a 500/503.
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import {
  buildRequirement,
  CounterStore,
  InMemoryCounterStore,
  ManualClock,
  MfaEngine,
  MfaError,
  MfaSubject,
} from '../../libs/core/src';
import { lockoutKeys } from '../../libs/core/src/lockout/attempt-limiter';
import { RedisCounterStore } from '../../libs/redis/src';
import { TypeOrmCounterStore, TypeOrmMfaStore } from '../../libs/typeorm/src';
import { BACKENDS, resetDatabase } from '../support/backends';
import { MATRIX, TestApp, startTestApp, totpAt } from '../support/test-app';

const REDIS_URL = process.env.MFA_TEST_REDIS_URL;

const IDS: Array<[string, string]> = [
  ['1,000 ASCII characters', 'u'.repeat(1000)],
  ['1,000 characters of non-ASCII, `:` and braces', 'Ünïcødé:{😀}'.repeat(100).slice(0, 1000)],
  ['a brace that would end the hash tag early', '}'],
  ['delimiters inside a short id', 'a}:{b'],
  ['upper case', 'Alice'],
];

/** Redis Cluster's rule: the text between the first `{` and the next `}`, when not empty. */
function hashTag(key: string): string | null {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : null;
}

interface CounterBackend {
  name: string;
  open(): Promise<{ counters: CounterStore; keys(): Promise<string[]>; close(): Promise<void> }>;
}

const COUNTER_BACKENDS: CounterBackend[] = [
  {
    name: 'memory',
    open: async () => ({ counters: new InMemoryCounterStore(), keys: async () => [], close: async () => undefined }),
  },
  ...BACKENDS.map((backend) => ({
    name: `database (${backend.name})`,
    open: async () => {
      await resetDatabase(backend);
      const store = await TypeOrmMfaStore.connect(backend.options);
      const keys = async () =>
        ((await store.dataSource.query('SELECT counter_key FROM mfa_counters')) as Array<{ counter_key: string }>).map(
          (r) => r.counter_key,
        );
      return { counters: new TypeOrmCounterStore(store.dataSource), keys, close: () => store.close() };
    },
  })),
  ...(REDIS_URL
    ? [
        {
          name: 'redis',
          open: async () => {
            const raw = new Redis(REDIS_URL);
            const drop = async () => {
              const found = await raw.keys('nestjs-mfa:mfa:*');
              if (found.length) await raw.del(...found);
            };
            await drop();
            const counters = await RedisCounterStore.connect(REDIS_URL);
            const keys = async () => (await raw.keys('nestjs-mfa:mfa:*')).map((k) => k.slice('nestjs-mfa:'.length));
            return {
              counters,
              keys,
              close: async () => {
                await drop();
                await counters.close();
                raw.disconnect();
              },
            };
          },
        },
      ]
    : []),
];

describe('counter keys of any user id', () => {
  it.each(IDS)('keep one non-empty hash tag per user, bounded and free of the raw id: %s', (_name, userId) => {
    const tags = new Set(
      ['totp', 'backup_code', 'sms', 'password'].flatMap((c) => Object.values(lockoutKeys(userId, c)).map(hashTag)),
    );
    expect(tags.size).toBe(1);
    const [tag] = [...tags];
    expect(tag).toMatch(/^#[0-9a-f]{64}$/);
    for (const key of Object.values(lockoutKeys(userId, 'backup_code'))) expect(key.length).toBeLessThanOrEqual(191);
  });

  it('never lets two ids share a tag, even an id that spells out another id’s digest', () => {
    const digestOfAlice = createHash('sha256').update('Alice').digest('hex');
    const ids = [...IDS.map(([, id]) => id), 'alice', 'alice ', digestOfAlice, `#${digestOfAlice}`, 'u-alice'];
    const tags = ids.map((id) => hashTag(lockoutKeys(id, 'totp').account));
    expect(new Set(tags).size).toBe(ids.length);
    expect(hashTag(lockoutKeys('u-alice', 'totp').account)).toBe('u-alice'); // ordinary ids keep their keys
  });
});

describe.each(COUNTER_BACKENDS.map((b) => [b.name, b] as const))(
  'lockout of long and unusual user ids on %s',
  (_name, backend) => {
    let counters: CounterStore;
    let storedKeys: () => Promise<string[]>;
    let closeCounters: () => Promise<void>;
    let store: TypeOrmMfaStore;
    let clock: ManualClock;
    let engine: MfaEngine;
    beforeEach(async () => {
      ({ counters, keys: storedKeys, close: closeCounters } = await backend.open());
      // SQLite keeps ids of any length, so the counters are what is under test here.
      store = await TypeOrmMfaStore.connect({ type: 'better-sqlite3', database: ':memory:' });
      clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
      engine = new MfaEngine({
        store,
        counters,
        clock,
        audit: { emit: () => undefined },
        backupCodes: { scrypt: { N: 1024, r: 8, p: 1 } },
        encryption: { keys: [{ id: 'k', key: Buffer.alloc(32, 1).toString('base64') }] },
        // The suite closes the store under the engine; a background prune would then meet a closed database.
        retention: { enabled: false },
      });
      await engine.init();
    });
    afterEach(async () => {
      await store.close();
      await closeCounters();
    });

    const ANY = { requirement: buildRequirement() };
    const code = (secret: string) => totpAt(secret, clock);
    const enroll = async (userId: string) => {
      // The app's account name labels the authenticator entry (the id itself would not fit a QR code).
      const subject = { userId, sessionId: 'enrolling', accountName: 'someone@example.com' };
      const { enrollmentId, secret } = await engine.startTotpEnrollment(subject);
      await engine.confirmTotpEnrollment(subject, enrollmentId, code(secret));
      clock.advance(30);
      return secret;
    };
    /** A fresh session's challenge, and a way to answer it. */
    const challenge = async (userId: string, sessionId: string) => {
      const subject = { userId, sessionId };
      const id = await engine.enforce(subject, ANY).then(
        () => Promise.reject(new Error('no challenge')),
        (e: MfaError) => (e.details.challenge as { id: string }).id,
      );
      return (answer: string) =>
        engine.verifyChallenge(subject, id, 'totp', answer).then(
          () => 'VERIFIED',
          (e: unknown) => (e instanceof MfaError ? e.code : Promise.reject(e)),
        );
    };

    it.each(IDS)('counts, locks and is cleared by a success: %s', async (_id, userId) => {
      const secret = await enroll(userId);
      let answer = await challenge(userId, 'first');
      for (let i = 0; i < 4; i++) expect(await answer('000000')).toBe('INVALID_CODE');
      expect(await answer(code(secret))).toBe('VERIFIED'); // the success clears the four failures

      clock.advance(30);
      answer = await challenge(userId, 'second');
      for (let i = 0; i < 5; i++) expect(await answer('000000')).toBe('INVALID_CODE');
      expect(await answer(code(secret))).toBe('MFA_LOCKED');
      expect((await engine.lockoutStatus(userId)).totp).toEqual({ failures: 5, lockedForSeconds: 900 });

      clock.advance(901);
      answer = await challenge(userId, 'third');
      expect(await answer(code(secret))).toBe('VERIFIED');
      expect((await engine.lockoutStatus(userId)).totp).toEqual({ failures: 0, lockedForSeconds: 0 });

      // The admin's unlock reaches the same keys.
      clock.advance(30);
      answer = await challenge(userId, 'fourth');
      for (let i = 0; i < 6; i++) await answer('000000');
      expect(await answer(code(secret))).toBe('MFA_LOCKED');
      await engine.clearLockout(userId);
      expect(await answer(code(secret))).toBe('VERIFIED');
    });

    it('keeps every key of one user under one hash tag, within the database column', async () => {
      const [, userId] = IDS[1];
      await enroll(userId);
      const answer = await challenge(userId, 'only');
      for (let i = 0; i < 6; i++) await answer('000000');
      const keys = (await storedKeys()).filter((key) => key.startsWith('mfa:{'));
      for (const key of keys) expect(key.length).toBeLessThanOrEqual(191);
      if (backend.name !== 'memory') expect(keys.length).toBeGreaterThanOrEqual(2);
      expect(new Set(keys.map(hashTag)).size).toBeLessThanOrEqual(1);
    });

    it('counts a failure of one id against no id that differs in case, spacing or delimiters', async () => {
      const ids = ['Alice', 'alice', 'alice ', 'a}:{b', 'a', '}'];
      for (const failing of ids) {
        await engine.recordLoginFailure(failing);
        for (const other of ids)
          expect((await engine.lockoutStatus(other)).account.failures).toBe(other === failing ? 1 : 0);
        await engine.clearLockout(failing);
      }
    });
  },
);

/** A signed-in subject whose id (URI-encoded) and session come from headers, as a host's own resolver would give them. */
const headerSubject = (req: Record<string, any>): MfaSubject | null => {
  const user = req.headers['x-test-user'];
  return user
    ? { userId: decodeURIComponent(user), sessionId: req.headers['x-test-session'] ?? 'one', groups: ['admins'] }
    : null;
};

describe.each(MATRIX)('user ids the MFA store keeps, on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(
    async () => (t = await startTestApp(backend, adapter, { resolveSubject: headerSubject, counters: 'database' })),
  );
  afterEach(() => t.close());

  const as = (userId: string, session = 'one') => {
    const headers = { 'x-test-user': encodeURIComponent(userId), 'x-test-session': session };
    return {
      get: (path: string) => request(t.http).get(path).set(headers),
      post: (path: string, body: object = {}) => request(t.http).post(path).set(headers).send(body),
      delete: (path: string) => request(t.http).delete(path).set(headers),
    };
  };
  const enroll = async (userId: string, session = 'one') => {
    const start = await as(userId, session).post('/mfa/totp/enrollments').expect(201);
    await as(userId, session)
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`, { code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    t.clock.advance(30);
    return start.body.secret as string;
  };

  // 191 characters of non-ASCII and `:{}`: the widest id every dialect stores.
  const widest = 'Ğü:{ö}'.repeat(32).slice(0, 191);

  it('runs the whole flow for a 191-character non-ASCII id: locked after the limit, cleared by a success', async () => {
    const secret = await enroll(widest);
    const user = as(widest, 'two');
    const challenge = async () => (await user.get('/payments').expect(401)).body.challenge.id as string;
    let id = await challenge();
    for (let i = 0; i < 5; i++)
      await user.post(`/mfa/challenges/${id}/verify`, { method: 'totp', code: '000000' }).expect(401);
    expect(
      (await user.post(`/mfa/challenges/${id}/verify`, { method: 'totp', code: totpAt(secret, t.clock) }).expect(429))
        .body.code,
    ).toBe('MFA_LOCKED');
    t.clock.advance(901);
    id = await challenge();
    await user.post(`/mfa/challenges/${id}/verify`, { method: 'totp', code: totpAt(secret, t.clock) }).expect(200);
    await user.get('/payments').expect(200);
    expect((await t.engine.lockoutStatus(widest)).totp).toEqual({ failures: 0, lockedForSeconds: 0 });
  });

  it('lets an admin act on a 191-character non-ASCII id and refuses a longer one with 400', async () => {
    await enroll('u-admin', 'admin');
    await enroll(widest);
    const admin = as('u-admin', 'admin');
    const path = `/mfa/admin/users/${encodeURIComponent(widest)}`;
    expect((await admin.get(path).expect(200)).body).toMatchObject({
      userId: widest,
      factors: [expect.objectContaining({ type: 'totp' })],
    });
    await admin.post(`${path}/recovery-tickets`, { reason: 'identity checked' }).expect(201);
    await admin.delete(`${path}/lockout`).expect(200);
    await admin.post(`${path}/reenrollment`).expect(200);
    for (const tooLong of [`${widest}x`, 'u'.repeat(1000), 'a\u0000b']) {
      const res = await admin.get(`/mfa/admin/users/${encodeURIComponent(tooLong)}`).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] });
    }
  });

  it.each([
    ['1,000 characters', 'Ünï:{}'.repeat(200).slice(0, 1000)],
    ['192 characters', 'u'.repeat(192)],
    ['a NUL', 'a\u0000b'],
  ])('answers a signed-in id of %s with 400 on guarded routes and MFA endpoints alike', async (_name, userId) => {
    const user = as(userId);
    for (const res of [
      await user.get('/payments'),
      await user.get('/mfa/enrollments'),
      await user.post('/mfa/totp/enrollments'),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'userId' }] });
    }
  });
});
