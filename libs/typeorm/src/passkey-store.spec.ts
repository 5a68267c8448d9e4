// Invariant: a passkey's credential belongs to one user, its challenge is spent once, and its
// signature counter only grows (or stays 0) — each decided by one conditional write — and the
// assurance a verification reached is kept wherever the verification is.
import { randomUUID } from 'node:crypto';
import type { EnrollmentRecord, SessionFactorRecord, VerificationCommit } from '../../core/src';
import type { Assurance, PasskeyDetails } from '../../core/src/ports/mfa-store.port';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { MfaPasskeys1764500000000 } from './migrations/1764500000000-mfa-passkeys.migration';
import { mfaMigrations } from './mfa-typeorm.schema';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

const BACKENDS = ownDatabaseBackends('nestjs_mfa_passkey_spec', { type: 'better-sqlite3', database: ':memory:' });

const NOW = 1_764_500_000_000;
const ALICE = 'u-alice';
const BOB = 'u-bob';
const DETAILS: Omit<PasskeyDetails, 'credentialKey'> = {
  aaguid: '00000000-0000-0000-0000-000000000000',
  backupEligible: true,
  backedUp: true,
  transports: ['internal', 'hybrid'],
  attestation: 'none',
};
const SYNCED: Assurance = { aal: 2, amr: ['swk', 'user', 'pin'], multiFactor: true };
const credentialKey = () => randomUUID().replace(/-/g, '').padEnd(64, '0');
const activation = (key: string, signCount: number) => ({
  sealedSecret: 'v1.k1.sealed',
  keyId: 'k1',
  details: { ...DETAILS, credentialKey: key },
  signCount,
});

const pendingPasskey = (userId: string): EnrollmentRecord => ({
  ...{ id: randomUUID(), userId, type: 'webauthn', status: 'pending', label: 'Security key', sealedSecret: '' },
  ...{ keyId: 'k1', profile: null, maskedTarget: null, lastStep: null, passkey: null },
  ...{ createdAt: NOW, confirmedAt: null, lastUsedAt: null },
});

describe.each(BACKENDS.map((b) => [b.name, b] as const))('passkeys in the TypeORM store on %s', (_name, backend) => {
  let store: TypeOrmMfaStore;

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase(backend);
    store = await TypeOrmMfaStore.connect(backend.options);
  });
  afterAll(() => store?.close());

  async function activePasskey(userId: string, signCount: number, key = credentialKey()) {
    const pending = pendingPasskey(userId);
    await store.createEnrollment(pending);
    expect(await store.activatePasskey(userId, pending.id, activation(key, signCount), NOW)).toBe('activated');
    return pending.id;
  }

  async function challengeRow(userId: string, enrollmentId: string) {
    const challengeId = randomUUID();
    await store.createChallenge({
      id: challengeId,
      userId,
      sessionRef: `s-${challengeId}`,
      purpose: 'step-up',
      requirement: { steps: [], scope: 'admin', ruleId: 'r1', policyVersion: 1 },
      status: 'pending',
      createdAt: NOW,
      expiresAt: NOW + 300_000,
    });
    const codeId = randomUUID();
    const purpose = `webauthn|challenge:${challengeId}`;
    const code = { id: codeId, userId, channel: 'webauthn' as const, enrollmentId, purpose, codeDigest: 'd' };
    await store.replaceOtpCode({ ...code, createdAt: NOW, expiresAt: NOW + 300_000 }, NOW);
    return { challengeId, codeId, sessionRef: `s-${challengeId}`, purpose };
  }

  function passkeyCommit(
    c: { challengeId: string; codeId: string; sessionRef: string },
    enrollmentId: string,
    signCount: number,
  ): VerificationCommit {
    const userId = ALICE;
    const sessionFactor: SessionFactorRecord = {
      sessionRef: c.sessionRef,
      userId,
      factor: 'webauthn',
      verifiedAt: NOW + 1,
      eventId: randomUUID(),
      assurance: SYNCED,
    };
    const spend = { kind: 'passkey' as const, challengeCodeId: c.codeId, enrollmentId, signCount };
    return { userId, spend, challengeId: c.challengeId, earned: { sessionFactor }, now: NOW + 1 };
  }

  it('activates a pending passkey once, with its details', async () => {
    const pending = pendingPasskey(ALICE);
    await store.createEnrollment(pending);
    expect((await store.findEnrollment(ALICE, pending.id))!.passkey).toBeNull();
    const key = credentialKey();
    expect(await store.activatePasskey(ALICE, pending.id, activation(key, 7), NOW)).toBe('activated');
    expect(await store.activatePasskey(ALICE, pending.id, activation(key, 7), NOW)).toBe('not_pending');
    expect(await store.findEnrollment(ALICE, pending.id)).toMatchObject({
      status: 'active',
      sealedSecret: 'v1.k1.sealed',
      lastStep: 7,
      confirmedAt: NOW,
      passkey: { ...DETAILS, credentialKey: key },
    });
  });

  it('refuses a credential already registered, to another user or the same one', async () => {
    const key = credentialKey();
    await activePasskey(ALICE, 0, key);
    for (const userId of [BOB, ALICE]) {
      const pending = pendingPasskey(userId);
      await store.createEnrollment(pending);
      expect(await store.activatePasskey(userId, pending.id, activation(key, 0), NOW)).toBe('credential_taken');
      expect((await store.findEnrollment(userId, pending.id))!.status).toBe('pending');
    }
  });

  it('never activates a passkey without its credential, nor lists a pending one for key rotation', async () => {
    const pending = pendingPasskey(ALICE);
    await store.createEnrollment(pending);
    const active = await activePasskey(ALICE, 0);
    expect(await store.activateEnrollment(ALICE, pending.id, null, NOW)).toBe(false);
    const stale = (await store.listEnrollmentsNotSealedWith('k2', 1000)).map((e) => e.id);
    expect(stale).toContain(active);
    expect(stale).not.toContain(pending.id);
  });

  it('lets a counter stay 0 and grow, never go back; spends each challenge once', async () => {
    const zero = await activePasskey(ALICE, 0);
    for (let i = 0; i < 2; i++) {
      expect(await store.commitVerification(passkeyCommit(await challengeRow(ALICE, zero), zero, 0))).toBe('committed');
    }
    const counting = await activePasskey(ALICE, 3);
    const first = await challengeRow(ALICE, counting);
    expect(await store.commitVerification(passkeyCommit(first, counting, 5))).toBe('committed');
    expect((await store.findEnrollment(ALICE, counting))!.lastStep).toBe(5);
    expect(await store.commitVerification(passkeyCommit(first, counting, 6))).toBe('already_spent');

    for (const signCount of [3, 5, 0]) {
      const replay = await challengeRow(ALICE, counting);
      expect(await store.commitVerification(passkeyCommit(replay, counting, signCount))).toBe('already_spent');
      // Nothing written: the challenge row is still live, no verification recorded.
      expect(await store.findLiveOtpCode(ALICE, replay.purpose, 'webauthn', NOW + 2)).toMatchObject({
        id: replay.codeId,
      });
      expect(await store.listSessionFactors(ALICE, replay.sessionRef)).toEqual([]);
      expect((await store.findChallenge(replay.challengeId))!.status).toBe('pending');
    }
    expect((await store.findEnrollment(ALICE, counting))!.lastStep).toBe(5);
    const big = 2 ** 32 - 1; // the largest counter an authenticator can report
    expect(await store.commitVerification(passkeyCommit(await challengeRow(ALICE, counting), counting, big))).toBe(
      'committed',
    );
    expect((await store.findEnrollment(ALICE, counting))!.lastStep).toBe(big);
  });

  it("spends only the user's own passkey", async () => {
    const bobs = await activePasskey(BOB, 1);
    const c = await challengeRow(ALICE, bobs);
    expect(await store.commitVerification(passkeyCommit(c, bobs, 2))).toBe('already_spent');
  });

  it('keeps assurance on session factors, grants, and across a session move', async () => {
    const id = await activePasskey(ALICE, 0);
    const c = await challengeRow(ALICE, id);
    expect(await store.commitVerification(passkeyCommit(c, id, 0))).toBe('committed');
    expect(await store.listSessionFactors(ALICE, c.sessionRef)).toMatchObject([
      { factor: 'webauthn', assurance: SYNCED },
    ]);
    await store.moveSession(ALICE, c.sessionRef, 's-moved');
    expect(await store.listSessionFactors(ALICE, 's-moved')).toMatchObject([{ assurance: SYNCED }]);

    const totp: SessionFactorRecord = {
      sessionRef: 's-plain',
      userId: ALICE,
      factor: 'totp',
      verifiedAt: NOW,
      eventId: 'e1',
    };
    await store.recordSessionFactor({ ...totp, assurance: { aal: 2, amr: ['otp'] } });
    expect(await store.listSessionFactors(ALICE, 's-plain')).toEqual([
      { ...totp, assurance: { aal: 2, amr: ['otp'] } },
    ]);
    await store.recordSessionFactor(totp); // newest wins, and it kept none
    const [plain] = await store.listSessionFactors(ALICE, 's-plain');
    expect(plain).toEqual(totp);
    expect('assurance' in plain).toBe(false);

    const g = await challengeRow(ALICE, id);
    const grant = {
      id: randomUUID(),
      userId: ALICE,
      sessionRef: g.sessionRef,
      scope: 'pay',
      factor: 'webauthn' as const,
    };
    const earned = { grant: { ...grant, createdAt: NOW, expiresAt: NOW + 60_000, eventId: 'e2', assurance: SYNCED } };
    expect(await store.commitVerification({ ...passkeyCommit(g, id, 0), earned })).toBe('committed');
    await store.createGrant({ ...earned.grant, id: randomUUID(), createdAt: NOW + 1, assurance: undefined });
    await store.moveSession(ALICE, g.sessionRef, 's-moved-grants');
    const grants = await store.listUnspentGrants(ALICE, 's-moved-grants', 'pay', NOW);
    expect(grants.map((x) => x.assurance)).toEqual([SYNCED, undefined]);
    expect('assurance' in grants[1]).toBe(false);
  });

  it('migrates down and up again, keeping the rest of the data', async () => {
    const ds = store.dataSource;
    const before = (await store.listEnrollments(ALICE)).map((e) => e.id);
    // Back to before MfaPasskeys, through whatever later migrations there are.
    const undo = mfaMigrations.length - mfaMigrations.indexOf(MfaPasskeys1764500000000);
    for (let i = 0; i < undo; i++) await ds.undoLastMigration({ transaction: 'each' });
    const runner = ds.createQueryRunner();
    try {
      expect((await runner.getTable('mfa_enrollments'))!.findColumnByName('credential_key')).toBeUndefined();
      expect((await runner.getTable('mfa_grants'))!.findColumnByName('assurance')).toBeUndefined();
      await ds.runMigrations({ transaction: 'each' });
      const enrollments = (await runner.getTable('mfa_enrollments'))!;
      expect(enrollments.indices.find((i) => i.name === 'uq_mfa_enrollments_credential')?.isUnique).toBe(true);
      if (backend.options.type === 'mariadb') {
        // Added columns must compare as exactly as the rest (MfaExactText): they take the table's collation.
        const rows: Array<{ t: string; c: string | null }> = await ds.query(
          `SELECT c.COLLATION_NAME AS c, t.TABLE_COLLATION AS t FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
           ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
           WHERE c.TABLE_SCHEMA = DATABASE() AND c.COLUMN_NAME IN ('credential_key', 'details', 'assurance')`,
        );
        expect(rows).toHaveLength(4);
        for (const row of rows) expect(row.c).toBe(row.t);
        expect(rows[0].t).toMatch(/_bin$/);
      }
    } finally {
      await runner.release();
    }
    const after = await store.listEnrollments(ALICE);
    expect(after.map((e) => e.id)).toEqual(before);
    expect(after.every((e) => e.passkey === null)).toBe(true); // down() dropped the credentials
    await activePasskey(BOB, 0);
  });

  it('declares on its entities what its migrations create', async () => {
    // SQLite's schema builder rebuilds tables over older `int`/`integer` spellings, so only the servers can tell.
    if (backend.options.type === 'better-sqlite3') return;
    const pending = (await store.dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    expect(pending.filter((q) => /credential|details|assurance/.test(q))).toEqual([]);
  });
});
