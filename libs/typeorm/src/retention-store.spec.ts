// Invariant: retention deletes only rows that are dead (expired; revoked or redeemed for
// devices and tickets; a session whose newest verification is older than the cutoff), never
// a live one, nor a spent short-lived row before its expiry; each
// call deletes at most its limit; and two instances pruning the same table at once both
// succeed and between them count every deleted row exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectLiteral, EntityTarget } from 'typeorm';
import type { RetentionKind } from '../../core/src/retention/retention.port';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import {
  auditEvent,
  challenge,
  DAY,
  device,
  grant,
  id,
  MIN,
  NOW,
  otp,
  ticket,
  verification,
} from '../../../test/support/retention-rows';
import { MfaAuditEventEntity } from './entities/mfa-audit-event.entity';
import { MfaChallengeEntity } from './entities/mfa-challenge.entity';
import { MfaGrantEntity } from './entities/mfa-grant.entity';
import { MfaOtpCodeEntity } from './entities/mfa-otp-code.entity';
import { MfaRecoveryTicketEntity } from './entities/mfa-recovery-ticket.entity';
import { MfaSessionFactorEntity } from './entities/mfa-session-factor.entity';
import { MfaTrustedDeviceEntity } from './entities/mfa-trusted-device.entity';
import {
  MfaRetentionIndexes1764800000000,
  RETENTION_INDEXES,
} from './migrations/1764800000000-mfa-retention-indexes.migration';
import { TypeOrmRetentionStore } from './repositories/retention.repository';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

// A file, not :memory:, so two stores (two instances) can share it.
const sqliteDir = mkdtempSync(join(tmpdir(), 'nestjs-mfa-retention-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

// Its own database on the shared servers, named after the URL's so two runs given different
// databases do not share it either.
const BACKENDS = ownDatabaseBackends((db) => `${db.replace(/\W/g, '') || 'nestjs_mfa'}_retention_spec`, {
  type: 'better-sqlite3',
  database: join(sqliteDir, 'retention.sqlite'),
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('retention in the TypeORM store on %s', (_n, backend) => {
  let store: TypeOrmMfaStore;
  let other: TypeOrmMfaStore; // a second instance on the same database
  let retention: TypeOrmRetentionStore;
  let otherRetention: TypeOrmRetentionStore;

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase(backend);
    store = await TypeOrmMfaStore.connect(backend.options);
    other = await TypeOrmMfaStore.connect(backend.options);
    retention = new TypeOrmRetentionStore(store.dataSource);
    otherRetention = new TypeOrmRetentionStore(other.dataSource);
  });
  afterAll(async () => {
    await other?.close();
    await store?.close();
  });

  const TABLES = [
    MfaChallengeEntity,
    MfaOtpCodeEntity,
    MfaGrantEntity,
    MfaTrustedDeviceEntity,
    MfaRecoveryTicketEntity,
    MfaSessionFactorEntity,
    MfaAuditEventEntity,
  ];
  beforeEach(async () => {
    for (const entity of TABLES) await store.dataSource.getRepository(entity).clear();
  });

  async function insert<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: object[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200)
      await store.dataSource.getRepository(entity).insert(rows.slice(i, i + 200) as never);
  }
  const ids = async (entity: EntityTarget<ObjectLiteral>, key = 'id') =>
    (await store.dataSource.getRepository(entity).find()).map((r) => r[key] as string).sort();

  it.each<[RetentionKind, EntityTarget<ObjectLiteral>, object[], string[]]>([
    [
      'challenges',
      MfaChallengeEntity,
      [
        challenge('live-pending', NOW + 5 * MIN),
        challenge('kept-completed-until-expiry', NOW + 5 * MIN, NOW - MIN),
        challenge('dead-expired', NOW - MIN),
        challenge('dead-completed', NOW - MIN, NOW - 2 * MIN),
      ],
      ['kept-completed-until-expiry', 'live-pending'],
    ],
    [
      'otpCodes',
      MfaOtpCodeEntity,
      [
        otp('live-sms', NOW + MIN),
        otp('live-webauthn', NOW + MIN, null, 'webauthn'),
        otp('kept-consumed-until-expiry', NOW + MIN, NOW - MIN),
        otp('dead-consumed', NOW - MIN, NOW - 2 * MIN),
        otp('dead-expired', NOW - MIN),
        otp('dead-webauthn', NOW - MIN, null, 'webauthn'),
      ],
      ['kept-consumed-until-expiry', 'live-sms', 'live-webauthn'],
    ],
    [
      'grants',
      MfaGrantEntity,
      [
        grant('live', NOW + MIN),
        grant('kept-used-until-expiry', NOW + MIN, NOW - MIN),
        grant('dead-used', NOW - MIN, NOW - 2 * MIN),
        grant('dead-expired', NOW - MIN),
      ],
      ['kept-used-until-expiry', 'live'],
    ],
    [
      'trustedDevices',
      MfaTrustedDeviceEntity,
      [device('live', NOW + DAY), device('dead-revoked', NOW + DAY, NOW - MIN), device('dead-expired', NOW - MIN)],
      ['live'],
    ],
    [
      'recoveryTickets',
      MfaRecoveryTicketEntity,
      [ticket('live', NOW + DAY), ticket('dead-redeemed', NOW + DAY, NOW - MIN), ticket('dead-expired', NOW - MIN)],
      ['live'],
    ],
    ['auditEvents', MfaAuditEventEntity, [auditEvent('live', NOW), auditEvent('dead', NOW - 1)], ['live']],
  ])('prunes dead %s and keeps the live ones', async (kind, entity, rows, live) => {
    await insert(entity, rows);
    expect(await retention.pruneExpired(kind, NOW, 100)).toBe(rows.length - live.length);
    expect(await ids(entity)).toEqual(live);
    expect(await retention.pruneExpired(kind, NOW, 100)).toBe(0);
  });

  it('keeps every verification of a session that verified anything since the cutoff', async () => {
    await insert(MfaSessionFactorEntity, [
      verification('s-chain', 'totp', NOW - 40 * DAY), // an old first step a chain still counts
      verification('s-chain', 'webauthn', NOW - MIN),
      verification('s-fresh', 'totp', NOW),
      verification('s-stale', 'totp', NOW - 40 * DAY),
      verification('s-stale', 'sms', NOW - 31 * DAY),
    ]);
    expect(await retention.pruneExpired('sessionVerifications', NOW - 30 * DAY, 100)).toBe(2);
    const left = (await store.dataSource.getRepository(MfaSessionFactorEntity).find()).map(
      (r) => `${r.sessionRef}/${r.factor}`,
    );
    expect(left.sort()).toEqual(['s-chain/totp', 's-chain/webauthn', 's-fresh/totp']);
  });

  it('deletes at most `limit` rows per call', async () => {
    await insert(
      MfaGrantEntity,
      Array.from({ length: 25 }, (_, i) => grant(id('g', i), NOW - DAY)),
    );
    const batches: number[] = [];
    for (let n = -1; n !== 0;) batches.push((n = await retention.pruneExpired('grants', NOW, 10)));
    expect(batches).toEqual([10, 10, 5, 0]);
  });

  it.each<[RetentionKind, () => Promise<void>, number]>([
    [
      'otpCodes',
      () =>
        insert(
          MfaOtpCodeEntity,
          Array.from({ length: 600 }, (_, i) => otp(id('o', i), NOW - DAY)),
        ),
      600,
    ],
    [
      'sessionVerifications',
      () =>
        insert(
          MfaSessionFactorEntity,
          Array.from({ length: 600 }, (_, i) => verification(id('s', i >> 1), i % 2 ? 'totp' : 'sms', NOW - 40 * DAY)),
        ),
      600,
    ],
  ])('two instances pruning %s at once both succeed and count each row once', async (kind, seed, total) => {
    await seed();
    const before = kind === 'sessionVerifications' ? NOW - 30 * DAY : NOW;
    const drain = async (r: TypeOrmRetentionStore) => {
      let sum = 0;
      for (let n = -1; n !== 0;) sum += n = await r.pruneExpired(kind, before, 50);
      return sum;
    };
    const counts = await Promise.all([drain(retention), drain(otherRetention), drain(retention)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(total);
    const entity = kind === 'otpCodes' ? MfaOtpCodeEntity : MfaSessionFactorEntity;
    expect(await store.dataSource.getRepository(entity).count()).toBe(0);
  });

  it('keeps a verification recorded while another instance prunes its stale session', async () => {
    const stale = Array.from({ length: 200 }, (_, i) => id('s', i));
    await insert(
      MfaSessionFactorEntity,
      stale.flatMap((ref) => [verification(ref, 'totp', NOW - 40 * DAY), verification(ref, 'sms', NOW - 40 * DAY)]),
    );
    const renewed = stale.filter((_, i) => i % 4 === 0);
    await Promise.all([
      retention.pruneExpired('sessionVerifications', NOW - 30 * DAY, 1_000),
      // A new sibling row (a factor the session had not verified): an upsert cannot re-create it.
      ...renewed.map((sessionRef) =>
        other.recordSessionFactor({ sessionRef, userId: 'u-1', factor: 'webauthn', verifiedAt: NOW, eventId: 'ev' }),
      ),
    ]);
    const left = (await store.dataSource.getRepository(MfaSessionFactorEntity).find()).map(
      (r) => `${r.sessionRef}/${r.factor}/${r.verifiedAt}`,
    );
    for (const ref of renewed) expect(left).toContain(`${ref}/webauthn/${NOW}`);
    // Every stale session nobody renewed is gone, whole.
    expect(left.filter((row) => !renewed.some((ref) => row.startsWith(`${ref}/`)))).toEqual([]);
  });

  it('keeps an old chain step of a session that verified again between the batch read and its delete', async () => {
    await insert(MfaSessionFactorEntity, [
      verification('s-renewed', 'totp', NOW - 40 * DAY), // the old first step of a chain
      verification('s-stale', 'totp', NOW - 40 * DAY),
    ]);
    const sibling = () =>
      other.recordSessionFactor({
        sessionRef: 's-renewed',
        userId: 'u-1',
        factor: 'webauthn',
        verifiedAt: NOW,
        eventId: 'ev',
      });
    // MySQL/MariaDB read the batch, then delete it: the session verifies again in between.
    // The other dialects pick and delete in one statement, so the sibling can only come before.
    const runner = (retention as unknown as { sql: { select: (...a: unknown[]) => Promise<unknown[]> } }).sql;
    if (backend.options.type === 'mariadb' || backend.options.type === 'mysql') {
      const select = runner.select.bind(runner);
      jest.spyOn(runner, 'select').mockImplementationOnce(async (...args) => {
        const rows = await select(...args);
        await sibling();
        return rows;
      });
    } else await sibling();
    try {
      expect(await retention.pruneExpired('sessionVerifications', NOW - 30 * DAY, 100)).toBe(1);
    } finally {
      jest.restoreAllMocks();
    }
    const left = (await store.dataSource.getRepository(MfaSessionFactorEntity).find()).map(
      (r) => `${r.sessionRef}/${r.factor}`,
    );
    expect(left.sort()).toEqual(['s-renewed/totp', 's-renewed/webauthn']);
  });

  it('declares on its entities the indexes its migration creates', async () => {
    // SQLite's schema builder rebuilds tables over older `int`/`integer` spellings, so only the servers can tell.
    if (backend.options.type === 'better-sqlite3') return;
    const pending = (await store.dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((q) => RETENTION_INDEXES.some(([, index]) => q.includes(index.name!)))).toEqual([]);
  });

  it('its index migration skips an index built beforehand under the same name (CONCURRENTLY)', async () => {
    const q = store.dataSource.createQueryRunner();
    try {
      // connect() ran the migration: every index exists already, as after a manual build.
      await expect(new MfaRetentionIndexes1764800000000().up(q)).resolves.toBeUndefined();
    } finally {
      await q.release();
    }
  });

  it('never deletes a live row while another instance prunes the same table', async () => {
    await insert(MfaGrantEntity, [
      ...Array.from({ length: 300 }, (_, i) => grant(id('dead', i), NOW - DAY)),
      ...Array.from({ length: 50 }, (_, i) => grant(id('live', i), NOW + DAY)),
    ]);
    await Promise.all([retention.pruneExpired('grants', NOW, 500), otherRetention.pruneExpired('grants', NOW, 500)]);
    expect(await ids(MfaGrantEntity)).toEqual(Array.from({ length: 50 }, (_, i) => id('live', i)));
  });
});
