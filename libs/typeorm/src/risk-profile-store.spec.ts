// Invariant: a risk profile keeps only what the port defines; a save lands only on the profile
// it was learned from (so a reset is never undone, and two writers never mix: one lands whole,
// the other is refused); pruning deletes only profiles still stale when it reaches them and
// counts each once even when instances prune together; and user ids compare exactly.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RiskProfile } from '../../core/src/ports/risk-history.port';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { MfaRiskProfiles1764600000000 } from './migrations/1764600000000-mfa-risk-profiles.migration';
import { mfaMigrations } from './mfa-typeorm.schema';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

// A file, not :memory:, so two stores (two instances) can share it.
const sqliteDir = mkdtempSync(join(tmpdir(), 'nestjs-mfa-risk-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

const BACKENDS = ownDatabaseBackends('nestjs_mfa_risk_profile_spec', {
  type: 'better-sqlite3',
  database: join(sqliteDir, 'risk.sqlite'),
});

const NOW = 1_764_600_000_000;
const DAY = 86_400_000;
const hours = (at: number, n = 1) => Array.from({ length: 24 }, (_, h) => (h === at ? n : 0));
const profile = (userId: string, updatedAt = NOW, extra: Partial<RiskProfile> = {}): RiskProfile => ({
  userId,
  deviceFamilies: { 'Firefox/Linux': updatedAt - DAY, 'Mobile Safari/iOS': updatedAt },
  countries: { GB: updatedAt - 2 * DAY, SE: updatedAt },
  lastLocation: { latitude: 51.5, longitude: -0.1, accuracyKm: 10, country: 'GB', at: updatedAt },
  hours: hours(9, 3),
  updatedAt,
  ...extra,
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('risk profiles in the TypeORM store on %s', (_n, backend) => {
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
  beforeEach(() => store.dataSource.query('DELETE FROM mfa_risk_profiles'));
  const count = async () => Number((await store.dataSource.query('SELECT COUNT(*) AS n FROM mfa_risk_profiles'))[0].n);

  it('knows nobody at first, then gives back exactly what was saved', async () => {
    expect(await store.loadRiskProfile('u-new')).toBeUndefined();
    const saved = profile('u-alice', NOW, {
      deviceFamilies: { 'Edge/Windows': NOW, 'Браузер/ОС 🦊': NOW - 1 },
      lastLocation: { latitude: -33.9, longitude: 151.2, country: 'AU', at: NOW - 5 },
    });
    expect(await store.saveRiskProfile(saved, null)).toBe(true);
    expect(await store.loadRiskProfile('u-alice')).toEqual(saved);
    expect(await other.loadRiskProfile('u-alice')).toEqual(saved);
  });

  it('keeps the location to a tenth of a degree, whole km, and nothing but the port fields', async () => {
    await store.saveRiskProfile(
      profile('u-round', NOW, { lastLocation: { latitude: 51.5142, longitude: -0.0931, accuracyKm: 9.6, at: NOW } }),
      null,
    );
    const loaded = await store.loadRiskProfile('u-round');
    expect(loaded?.lastLocation).toEqual({ latitude: 51.5, longitude: -0.1, accuracyKm: 10, at: NOW });
    await store.saveRiskProfile(profile('u-round', NOW + 1, { lastLocation: undefined }), NOW);
    expect(await store.loadRiskProfile('u-round')).toEqual(profile('u-round', NOW + 1, { lastLocation: undefined }));
    const runner = store.dataSource.createQueryRunner();
    try {
      const columns = (await runner.getTable('mfa_risk_profiles'))!.columns.map((c) => c.name);
      expect(columns.some((c) => /ip|address|agent/i.test(c))).toBe(false); // no IP history here
    } finally {
      await runner.release();
    }
  });

  it.each([
    ['no profile yet', null],
    ['the same stored profile', NOW - 1],
  ])('lets one of several instances learning from %s write, whole, and refuses the others', async (_n, readAt) => {
    if (readAt !== null) await store.saveRiskProfile(profile('u-race', readAt), null);
    const writes = Array.from({ length: 12 }, (_, i) =>
      profile('u-race', NOW + i, { countries: { [`C${i}`]: NOW + i }, hours: hours(i, i + 1) }),
    );
    const saved = await Promise.all(writes.map((p, i) => (i % 2 ? other : store).saveRiskProfile(p, readAt)));
    expect(saved.filter(Boolean)).toHaveLength(1);
    expect(await store.loadRiskProfile('u-race')).toEqual(writes[saved.indexOf(true)]); // never a mix of two
    expect(await count()).toBe(1);
  });

  it('never undoes a reset: a profile learned before it is not written after it', async () => {
    await store.saveRiskProfile(profile('u-reset', NOW - DAY), null);
    const read = (await other.loadRiskProfile('u-reset'))!; // an instance starts learning…
    await store.forgetRiskProfile('u-reset'); // …an admin resets the profile…
    expect(await other.saveRiskProfile(profile('u-reset', NOW), read.updatedAt)).toBe(false); // …the lesson is dropped
    expect(await store.loadRiskProfile('u-reset')).toBeUndefined();
    expect(await other.saveRiskProfile(profile('u-reset', NOW + 1), null)).toBe(true); // learned after it: kept
    expect(await store.loadRiskProfile('u-reset')).toEqual(profile('u-reset', NOW + 1));
  });

  it('refuses a write learned from a profile another instance has replaced since', async () => {
    await store.saveRiskProfile(profile('u-stale', NOW - DAY), null);
    expect(await store.saveRiskProfile(profile('u-stale', NOW), NOW - DAY)).toBe(true);
    expect(await other.saveRiskProfile(profile('u-stale', NOW + 5, { countries: { JP: NOW } }), NOW - DAY)).toBe(false);
    expect(await other.saveRiskProfile(profile('u-stale', NOW + 5), null)).toBe(false); // it exists now
    expect(await store.loadRiskProfile('u-stale')).toEqual(profile('u-stale', NOW));
  });

  it('forgets one user and no one else', async () => {
    await store.saveRiskProfile(profile('u-gone'), null);
    await store.saveRiskProfile(profile('u-kept'), null);
    await store.forgetRiskProfile('u-gone');
    await store.forgetRiskProfile('u-never-seen');
    expect(await store.loadRiskProfile('u-gone')).toBeUndefined();
    expect(await store.loadRiskProfile('u-kept')).toBeDefined();
  });

  it('keeps users apart whose ids differ only in case, accents or trailing spaces', async () => {
    const ids = ['bob', 'Bob', 'bob ', 'böb'];
    for (const [i, id] of ids.entries()) expect(await store.saveRiskProfile(profile(id, NOW + i), null)).toBe(true);
    for (const [i, id] of ids.entries()) expect((await store.loadRiskProfile(id))?.updatedAt).toBe(NOW + i);
    await store.forgetRiskProfile('bob');
    expect(await count()).toBe(3);
  });

  it('prunes the oldest stale profiles first, at most the limit, in batches', async () => {
    const users = Array.from({ length: 1_203 }, (_, i) => `u-${String(i).padStart(4, '0')}`);
    await insertMany(users.map((u, i) => profile(u, NOW - (2_000 - i) * DAY)));
    await store.saveRiskProfile(profile('u-fresh', NOW), null);
    const before = NOW - 900 * DAY; // the first 1100 are older
    expect(await store.pruneRiskProfiles(before, 1_050)).toBe(1_050);
    expect(await store.loadRiskProfile(users[1_049])).toBeUndefined();
    expect(await store.loadRiskProfile(users[1_050])).toBeDefined();
    expect(await store.pruneRiskProfiles(before, 1_000)).toBe(50);
    expect(await store.pruneRiskProfiles(before, 1_000)).toBe(0);
    expect(await count()).toBe(104);
    expect(await store.pruneRiskProfiles(NOW + 1, 0)).toBe(0);
  });

  it('counts each pruned profile once when two instances prune together', async () => {
    await insertMany(Array.from({ length: 1_500 }, (_, i) => profile(`u-${i}`, NOW - 400 * DAY + i)));
    const counts = await Promise.all([
      store.pruneRiskProfiles(NOW - DAY, 10_000),
      other.pruneRiskProfiles(NOW - DAY, 10_000),
      store.pruneRiskProfiles(NOW - DAY, 10_000),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1_500);
    expect(await count()).toBe(0);
  });

  it('never loses a profile saved while a prune runs: each save lands and stays, or is refused', async () => {
    const stale = Array.from({ length: 600 }, (_, i) => profile(`u-${i}`, NOW - 400 * DAY));
    await insertMany(stale);
    const refreshed = stale.filter((_, i) => i % 3 === 0).map((p) => ({ ...p, updatedAt: NOW }));
    const [pruned, ...saved] = await Promise.all([
      store.pruneRiskProfiles(NOW - DAY, 10_000),
      ...refreshed.map((p) => other.saveRiskProfile(p, NOW - 400 * DAY)),
    ]);
    // Refused only where the prune deleted the profile first: learning never recreates a pruned one.
    for (const [i, p] of refreshed.entries())
      expect(await store.loadRiskProfile(p.userId)).toEqual(saved[i] ? p : undefined);
    const landed = saved.filter(Boolean).length;
    expect(await count()).toBe(landed);
    expect(pruned).toBe(stale.length - landed);
  });

  it('reads a damaged row as a profile that knows nothing yet', async () => {
    await store.saveRiskProfile(profile('u-odd'), null);
    await store.dataSource.query(
      store.dataSource.options.type === 'postgres'
        ? `UPDATE mfa_risk_profiles SET device_families = 'not json', countries = '[1]', hours = '{"a":1}' WHERE user_id = $1`
        : `UPDATE mfa_risk_profiles SET device_families = 'not json', countries = '[1]', hours = '{"a":1}' WHERE user_id = ?`,
      ['u-odd'],
    );
    expect(await store.loadRiskProfile('u-odd')).toMatchObject({
      deviceFamilies: {},
      countries: {},
      hours: Array(24).fill(0),
    });
  });

  it('migrates down and up again, with the exact collation on MariaDB', async () => {
    const ds = store.dataSource;
    const runner = ds.createQueryRunner();
    try {
      const undo = mfaMigrations.length - mfaMigrations.indexOf(MfaRiskProfiles1764600000000);
      for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await runner.hasTable('mfa_risk_profiles')).toBe(false);
      await ds.runMigrations({ transaction: 'each' });
      const table = (await runner.getTable('mfa_risk_profiles'))!;
      expect(table.indices.find((i) => i.name === 'idx_mfa_risk_profiles_updated')?.columnNames).toEqual([
        'updated_at',
      ]);
      if (backend.options.type === 'mariadb') {
        const [row] = await ds.query(
          "SELECT TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'mfa_risk_profiles'",
        );
        expect(row.c).toMatch(/_bin$/);
      }
    } finally {
      await runner.release();
    }
    await store.saveRiskProfile(profile('u-after'), null);
    expect(await other.loadRiskProfile('u-after')).toBeDefined();
  });

  it('declares on its entity what its migration creates', async () => {
    // SQLite's schema builder rebuilds tables over older `int`/`integer` spellings, so only the servers can tell.
    if (backend.options.type === 'better-sqlite3') return;
    const pending = (await store.dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((q) => q.includes('mfa_risk_profiles'))).toEqual([]);
  });

  async function insertMany(profiles: RiskProfile[]): Promise<void> {
    for (let i = 0; i < profiles.length; i += 100)
      await Promise.all(profiles.slice(i, i + 100).map((p) => store.saveRiskProfile(p, null)));
  }
});
