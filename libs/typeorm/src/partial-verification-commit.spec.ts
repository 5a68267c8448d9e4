// Threat: a verification's commit half-applied. It now renews the session, writes what was
// earned and the audit rows in the same write as the spend (one statement on PostgreSQL, one
// compound statement on MariaDB, one synchronous transaction on SQLite): a refused or raced
// commit must leave no trace (nothing spent, moved, earned or audited), and a committed one
// must leave all of it.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'typeorm';
import type {
  AuditEvent,
  EnrollmentRecord,
  SessionFactorRecord,
  VerificationCommit,
  VerificationOutcome,
} from '../../core/src';
import { resetDatabase } from '../../../test/support/backends';
import { createOwnDatabase, ownDatabaseBackends } from '../../../test/support/own-database';
import { TypeOrmMfaStore } from './typeorm-mfa.store';

const BACKENDS = ownDatabaseBackends('nestjs_mfa_partial_commit_spec', {
  type: 'better-sqlite3',
  database: ':memory:',
});
const NOW = 1_764_900_000_000;
const USER = 'u-partial';

describe.each(BACKENDS.map((b) => [b.name, b] as const))('a verification commit on %s', (name, backend) => {
  let store: TypeOrmMfaStore;
  // Every round trip the store's DataSource makes (a joined transaction or a compound statement counts once).
  const sent: string[] = [];
  const logger: Logger = {
    logQuery: (query) => void sent.push(query),
    logQueryError: () => undefined,
    logQuerySlow: () => undefined,
    logSchemaBuild: () => undefined,
    logMigration: () => undefined,
    log: () => undefined,
  };

  beforeAll(async () => {
    await createOwnDatabase(backend);
    await resetDatabase(backend);
    store = await TypeOrmMfaStore.connect({ ...backend.options, logging: ['query'], logger });
  });
  afterAll(() => store?.close());

  /** Commits, and says in how many round trips (MariaDB's one-time server check aside). */
  async function commitCounting(commit: VerificationCommit): Promise<[VerificationOutcome, string[]]> {
    sent.length = 0;
    const outcome = await store.commitVerification(commit);
    return [outcome, sent.filter((query) => !/^SELECT VERSION\(\)/i.test(query))];
  }
  /** One round trip, and on MariaDB the compound statement rather than the statement-by-statement transaction. */
  const expectOneRoundTrip = (trips: string[]) => {
    expect(trips).toHaveLength(1);
    if (name === 'mariadb') expect(trips[0]).toMatch(/^BEGIN NOT ATOMIC\b/);
  };

  const count = async (sql: string, params: unknown[]) => {
    let n = 0;
    const numbered = backend.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql;
    const [row] = await store.dataSource.query(`SELECT count(*) AS n FROM ${numbered}`, params);
    return Number(row.n);
  };
  const auditRows = (challengeId: string) => count('mfa_audit_events WHERE challenge_id = ?', [challengeId]);
  const rowsOf = (table: string, sessionRef: string) => count(`${table} WHERE session_ref = ?`, [sessionRef]);

  async function world(lastStep: number | null = null) {
    const enrollment: EnrollmentRecord = {
      ...{ id: randomUUID(), userId: USER, type: 'totp', status: 'pending', label: 'App', sealedSecret: 'v1.k1.x' },
      ...{ keyId: 'k1', profile: { algorithm: 'sha1', digits: 6, period: 30 }, maskedTarget: null, lastStep: null },
      ...{ passkey: null, createdAt: NOW, confirmedAt: null, lastUsedAt: null },
    };
    await store.createEnrollment(enrollment);
    await store.activateEnrollment(USER, enrollment.id, lastStep ?? 0, NOW);
    const fromRef = randomUUID().replace(/-/g, '').padEnd(64, 'a');
    const toRef = randomUUID().replace(/-/g, '').padEnd(64, 'b');
    const challengeId = randomUUID();
    const challenge = (id: string) => ({
      id,
      userId: USER,
      sessionRef: fromRef,
      purpose: `step-up:${id}`,
      requirement: { steps: [], scope: 'payments', ruleId: 'r1', policyVersion: 1 },
      status: 'pending' as const,
      createdAt: NOW,
      expiresAt: NOW + 300_000,
    });
    await store.createChallenge(challenge(challengeId));
    const otherChallenge = randomUUID();
    await store.createChallenge(challenge(otherChallenge));
    // The session already holds an SMS verification: it must follow the renewed id, or stay.
    await store.recordSessionFactor(factor(fromRef, 'sms', NOW - 1000));
    return { enrollmentId: enrollment.id, fromRef, toRef, challengeId, otherChallenge };
  }

  const factor = (sessionRef: string, kind: 'totp' | 'sms', at: number): SessionFactorRecord => ({
    sessionRef,
    userId: USER,
    factor: kind,
    verifiedAt: at,
    eventId: randomUUID(),
  });

  function commitOf(w: Awaited<ReturnType<typeof world>>, step: number): VerificationCommit {
    const event = (type: string): AuditEvent => ({
      type,
      at: NOW,
      severity: 'info',
      userId: USER,
      challengeId: w.challengeId,
    });
    return {
      userId: USER,
      spend: { kind: 'totp_step', enrollmentId: w.enrollmentId, step },
      challengeId: w.challengeId,
      earned: { sessionFactor: factor(w.toRef, 'totp', NOW) },
      now: NOW,
      renewal: { fromRef: w.fromRef, toRef: w.toRef },
      audit: [event('challenge.verified'), event('session.renewed')],
    };
  }

  const lastStep = async (id: string) => (await store.findEnrollment(USER, id))?.lastStep;

  it('commits all of it: the spend, the completion, the earned verification, the move and the audit rows', async () => {
    const w = await world();
    const [outcome, trips] = await commitCounting(commitOf(w, 100));
    expect(outcome).toBe('committed');
    expectOneRoundTrip(trips);
    expect(await lastStep(w.enrollmentId)).toBe(100);
    expect((await store.findChallenge(w.challengeId))?.status).toBe('completed');
    const moved = await store.listSessionFactors(USER, w.toRef);
    expect(moved.map((f) => f.factor).sort()).toEqual(['sms', 'totp']);
    expect(await rowsOf('mfa_session_factors', w.fromRef)).toBe(0);
    expect(await rowsOf('mfa_challenges', w.fromRef)).toBe(0);
    expect((await store.findChallenge(w.otherChallenge))?.sessionRef).toBe(w.toRef);
    expect(await auditRows(w.challengeId)).toBe(2);
  });

  it('leaves no trace of a replay: nothing completed, earned, moved or audited', async () => {
    const w = await world(100);
    const [outcome, trips] = await commitCounting(commitOf(w, 100));
    expect(outcome).toBe('already_spent');
    expectOneRoundTrip(trips);
    expect(await lastStep(w.enrollmentId)).toBe(100);
    expect((await store.findChallenge(w.challengeId))?.status).toBe('pending');
    expect(await rowsOf('mfa_session_factors', w.toRef)).toBe(0);
    expect(await rowsOf('mfa_session_factors', w.fromRef)).toBe(1);
    expect(await rowsOf('mfa_challenges', w.fromRef)).toBe(2);
    expect(await auditRows(w.challengeId)).toBe(0);
  });

  it('undoes the spend when the challenge was completed meanwhile (the race a single statement must abort)', async () => {
    const w = await world(50);
    expect(await store.completeChallenge(w.challengeId, NOW)).toBe(true);
    const [outcome, trips] = await commitCounting(commitOf(w, 100));
    expect(outcome).toBe('challenge_closed');
    // PostgreSQL's one statement aborts and settles it with the transaction, statement by statement.
    if (name !== 'postgres') expectOneRoundTrip(trips);
    expect(await lastStep(w.enrollmentId)).toBe(50);
    expect(await rowsOf('mfa_session_factors', w.toRef)).toBe(0);
    expect(await rowsOf('mfa_session_factors', w.fromRef)).toBe(1);
    expect(await rowsOf('mfa_challenges', w.fromRef)).toBe(2);
    expect(await auditRows(w.challengeId)).toBe(0);
  });

  it('undoes a first spend when a second one of the same commit is refused', async () => {
    const w = await world();
    // A passkey spends its WebAuthn challenge, then advances its counter: pointed at the TOTP
    // enrollment, the second spend changes no row after the first changed one.
    const code = { id: randomUUID(), userId: USER, channel: 'webauthn' as const, enrollmentId: w.enrollmentId };
    const purpose = `step-up:${w.challengeId}`;
    await store.replaceOtpCode({ ...code, purpose, codeDigest: 'x', createdAt: NOW, expiresAt: NOW + 60_000 }, NOW);
    const spend = { kind: 'passkey' as const, challengeCodeId: code.id, enrollmentId: w.enrollmentId, signCount: 5 };
    const [outcome, trips] = await commitCounting({ ...commitOf(w, 100), spend });
    expect(outcome).toBe('already_spent');
    if (name !== 'postgres') expectOneRoundTrip(trips);
    expect((await store.findLiveOtpCode(USER, purpose, 'webauthn', NOW))?.id).toBe(code.id);
    expect((await store.findChallenge(w.challengeId))?.status).toBe('pending');
    expect(await rowsOf('mfa_session_factors', w.toRef)).toBe(0);
    expect(await rowsOf('mfa_challenges', w.fromRef)).toBe(2);
    expect(await auditRows(w.challengeId)).toBe(0);
  });

  it('undoes everything when a statement after the spend fails, and reports the failure', async () => {
    const w = await world(50);
    const grant = { id: randomUUID(), userId: USER, sessionRef: w.toRef, scope: 'payments', factor: 'totp' as const };
    const earned = { grant: { ...grant, createdAt: NOW, expiresAt: NOW + 60_000, eventId: randomUUID() } };
    await store.createGrant(earned.grant); // the earned grant's id is taken: its insert fails
    // Matched by message: better-sqlite3's errors come from another realm than Jest's `Error`.
    await expect(store.commitVerification({ ...commitOf(w, 100), earned })).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/unique|duplicate/i),
    );
    expect(await lastStep(w.enrollmentId)).toBe(50);
    expect((await store.findChallenge(w.challengeId))?.status).toBe('pending');
    expect(await rowsOf('mfa_session_factors', w.fromRef)).toBe(1);
    expect(await rowsOf('mfa_challenges', w.fromRef)).toBe(2);
    expect(await auditRows(w.challengeId)).toBe(0);
  });

  it('lets one of two racing commits of the same challenge through, and only one spend', async () => {
    const w = await world();
    const second = {
      ...commitOf(w, 101),
      spend: { kind: 'totp_step' as const, enrollmentId: w.enrollmentId, step: 101 },
    };
    const outcomes = await Promise.all([store.commitVerification(commitOf(w, 100)), store.commitVerification(second)]);
    expect(outcomes.filter((o) => o === 'committed')).toHaveLength(1);
    expect(await auditRows(w.challengeId)).toBe(2);
    expect(await rowsOf('mfa_session_factors', w.toRef)).toBe(2);
  });

  it('lets two verifications of one session, each renewing, land without a deadlock', async () => {
    for (let run = 0; run < 10; run++) {
      const w = await world();
      const other = await world(); // a second app and challenge, moved onto the first session
      await store.moveSession(USER, other.fromRef, w.fromRef);
      const second: VerificationCommit = {
        ...commitOf(w, 100),
        spend: { kind: 'totp_step', enrollmentId: other.enrollmentId, step: 100 },
        challengeId: other.challengeId,
        earned: { sessionFactor: factor(other.toRef, 'totp', NOW) },
        renewal: { fromRef: w.fromRef, toRef: other.toRef },
      };
      const outcomes = await Promise.all([
        store.commitVerification(commitOf(w, 100)),
        store.commitVerification(second),
      ]);
      expect(outcomes.every((o) => o === 'committed')).toBe(true);
    }
  });

  it('replaces what a renewed id held before, keeping the newest of each factor', async () => {
    const w = await world();
    await store.recordSessionFactor(factor(w.toRef, 'totp', NOW - 5000));
    expect(await store.commitVerification(commitOf(w, 100))).toBe('committed');
    const held = await store.listSessionFactors(USER, w.toRef);
    expect(held.find((f) => f.factor === 'totp')?.verifiedAt).toBe(NOW);
    expect(held.find((f) => f.factor === 'sms')?.verifiedAt).toBe(NOW - 1000);
  });
});
