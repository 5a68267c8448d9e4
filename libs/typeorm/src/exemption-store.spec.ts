// Invariant: an exemption is in force only for its own user (ids compare exactly), only while
// its expiry is ahead and it is not revoked; a revocation is one conditional write that exactly
// one of two racing instances wins; retention prunes only ended rows, a bounded batch at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExemptionRecord } from '../../core/src/ports/store/exemption.store';
import { isExemptionStore } from '../../core/src/ports/store/exemption.store';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { TypeOrmRetentionStore } from './repositories/retention.repository';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

// A file, not :memory:, so two stores (two instances) can share it.
const sqliteDir = mkdtempSync(join(tmpdir(), 'nestjs-mfa-exemptions-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

const BACKENDS = ownDatabaseBackends('nestjs_mfa_exemption_store_spec', {
  type: 'better-sqlite3',
  database: join(sqliteDir, 'exemptions.sqlite'),
});

const NOW = 1_765_000_000_000;
const DAY = 86_400_000;
let seq = 0;
const exemption = (userId: string, extra: Partial<ExemptionRecord> = {}): ExemptionRecord => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  userId,
  scope: 'enrollment',
  ruleId: null,
  ruleFingerprint: null,
  reason: 'phone lost abroad — ticket #4711 ✈',
  grantedBy: 'u-admin',
  createdAt: NOW - DAY + seq,
  expiresAt: NOW + 30 * DAY,
  revokedAt: null,
  revokedBy: null,
  ...extra,
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('exemptions in the TypeORM store on %s', (_n, backend) => {
  let store: TypeOrmMfaStore;
  let other: TypeOrmMfaStore; // a second instance on the same database

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase(backend);
    store = await TypeOrmMfaStore.connect(backend.options);
    other = await TypeOrmMfaStore.connect(backend.options);
  });
  afterAll(async () => {
    await other?.close();
    await store?.close();
  });
  beforeEach(() => store.dataSource.query('DELETE FROM mfa_exemptions'));
  const ids = async () =>
    ((await store.dataSource.query('SELECT id FROM mfa_exemptions ORDER BY id')) as Array<{ id: string }>).map(
      (r) => r.id,
    );

  it('is an exemption store, and gives back exactly what was granted', async () => {
    expect(isExemptionStore(store)).toBe(true);
    const granted = exemption('u-alice', { scope: 'rule', ruleId: 'admins-need-totp' });
    await store.createExemption(granted);
    expect(await store.findExemption('u-alice', granted.id)).toEqual(granted);
    expect(await store.findExemption('u-bob', granted.id)).toBeNull();
    expect(await store.listActiveExemptions('u-alice', NOW)).toEqual([granted]);
  });

  it("keeps each user's exemptions to that user, ids compared exactly", async () => {
    const alice = exemption('u-alice');
    await store.createExemption(alice);
    await store.createExemption(exemption('U-ALICE'));
    expect(await store.listActiveExemptions('u-bob', NOW)).toEqual([]);
    expect((await store.listActiveExemptions('u-alice', NOW)).map((e) => e.id)).toEqual([alice.id]);
    expect(await store.revokeExemption('u-bob', alice.id, NOW, 'u-admin')).toBe(false);
    expect(await store.listActiveExemptions('u-alice', NOW)).toHaveLength(1);
  });

  it('is in force only before its expiry and until revoked', async () => {
    const live = exemption('u-alice');
    const ending = exemption('u-alice', { expiresAt: NOW + 1 });
    const ended = exemption('u-alice', { expiresAt: NOW });
    const revoked = exemption('u-alice', { revokedAt: NOW - 1, revokedBy: 'u-admin' });
    for (const e of [live, ending, ended, revoked]) await store.createExemption(e);
    const active = async (at: number) => (await store.listActiveExemptions('u-alice', at)).map((e) => e.id).sort();
    expect(await active(NOW)).toEqual([live.id, ending.id].sort());
    expect(await active(NOW + 1)).toEqual([live.id]);
    expect(await active(NOW + 30 * DAY)).toEqual([]);
  });

  it('revokes once: a revoked, expired or raced revocation answers false', async () => {
    const target = exemption('u-alice');
    const expired = exemption('u-alice', { expiresAt: NOW - 1 });
    await store.createExemption(target);
    await store.createExemption(expired);
    const raced = await Promise.all([
      store.revokeExemption('u-alice', target.id, NOW, 'u-admin-1'),
      other.revokeExemption('u-alice', target.id, NOW, 'u-admin-2'),
    ]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    const after = await store.findExemption('u-alice', target.id);
    expect(after).toMatchObject({ revokedAt: NOW, revokedBy: raced[0] ? 'u-admin-1' : 'u-admin-2' });
    expect(await store.revokeExemption('u-alice', target.id, NOW + 1, 'u-admin')).toBe(false);
    expect(await store.revokeExemption('u-alice', expired.id, NOW, 'u-admin')).toBe(false);
    expect(await store.listActiveExemptions('u-alice', NOW)).toEqual([]);
  });

  it('lists newest first, at most the limit, ended ones included', async () => {
    const made = [exemption('u-alice'), exemption('u-alice', { expiresAt: NOW - 1 }), exemption('u-alice')];
    for (const e of made) await store.createExemption(e);
    expect((await store.listExemptions('u-alice', 10)).map((e) => e.id)).toEqual(made.map((e) => e.id).reverse());
    expect(await store.listExemptions('u-alice', 2)).toHaveLength(2);
  });

  it('retention prunes only exemptions that ended before the cutoff, a bounded batch at a time', async () => {
    const live = exemption('u-alice');
    const revokedLater = exemption('u-alice', { revokedAt: NOW + 1, revokedBy: 'u-admin' });
    const dead = [
      exemption('u-alice', { expiresAt: NOW - 3 }),
      exemption('u-bob', { expiresAt: NOW - 2 }),
      exemption('u-carol', { revokedAt: NOW - 1, revokedBy: 'u-admin' }),
    ];
    for (const e of [live, revokedLater, ...dead]) await store.createExemption(e);
    const [one, two] = [new TypeOrmRetentionStore(store.dataSource), new TypeOrmRetentionStore(other.dataSource)];
    expect(await one.pruneExpired('exemptions', NOW, 2)).toBe(2);
    expect(await two.pruneExpired('exemptions', NOW, 100)).toBe(1);
    expect(await one.pruneExpired('exemptions', NOW, 100)).toBe(0);
    expect(await ids()).toEqual([live.id, revokedLater.id].sort());
  });
});
