// Invariant: a code (backup code, SMS code, TOTP time step) is spent only together with what its
// verification earns (the session's verification or a single-use grant, and the challenge's
// completion): a process killed between the two writes leaves both or neither, never a spent code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import {
  DEFAULT_TOTP_PROFILE,
  FactorType,
  fromBase32,
  ManualClock,
  MfaEngine,
  MfaSubject,
  MfaTarget,
  SmsMessage,
  TotpFactor,
} from '../../libs/core/src';
import { sessionRefOf } from '../../libs/core/src/audit/audit-trail';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { BACKENDS, resetDatabase } from '../support/backends';
import { failpointEngineOptions, verifyInChild } from '../support/failpoint-verify';
import { TEST_KEY } from '../support/test-app';

const USER = 'u-alice';
const SESSION: MfaTarget = { requirement: { steps: [{ factors: 'any' }] } };
const GRANT: MfaTarget = {
  service: 'payments',
  operation: 'refund',
  requirement: { steps: [{ factors: 'any', maxAge: 0 }] },
};
const CHILD_MS = 120_000; // a child transpiles the sources it loads: a ceiling, not a measurement

const sqliteDir = mkdtempSync(join(tmpdir(), 'mfa-atomicity-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
let files = 0;

describe.each(BACKENDS.map((b) => [b.name, b] as const))('spend and record atomicity on %s', (_name, backend) => {
  let database: DataSourceOptions;
  let clock: ManualClock;
  let sent: SmsMessage[];

  beforeEach(async () => {
    // A child process cannot share ':memory:'; SQLite gets a file of its own per test.
    database =
      backend.options.type === 'better-sqlite3'
        ? { type: 'better-sqlite3', database: join(sqliteDir, `mfa-${++files}.sqlite`) }
        : backend.options;
    await resetDatabase(backend);
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    sent = [];
  });

  const totpCode = (secret: string) => new TotpFactor().generate(fromBase32(secret), DEFAULT_TOTP_PROFILE, clock.now());
  const lastSmsCode = () => /\d{6}/.exec(sent.at(-1)!.text)![0];

  async function withEngine<T>(use: (engine: MfaEngine, store: TypeOrmMfaStore) => Promise<T>): Promise<T> {
    const store = await TypeOrmMfaStore.connect(database);
    try {
      return await use(new MfaEngine(failpointEngineOptions(store, TEST_KEY, clock, sent)), store);
    } finally {
      await store.close();
    }
  }

  /** alice with TOTP (bringing backup codes) and SMS, and a challenge open in a fresh session. */
  async function enrolledWithChallenge(method: FactorType, target: MfaTarget, subject: MfaSubject) {
    return withEngine(async (engine) => {
      const enrolling = { userId: USER, sessionId: 'enrolling' };
      const totp = await engine.startTotpEnrollment(enrolling);
      const { backupCodes } = await engine.confirmTotpEnrollment(enrolling, totp.enrollmentId, totpCode(totp.secret));
      const sms = await engine.startDeliveryEnrollment(enrolling, 'sms', '+905321234512');
      await engine.confirmDeliveryEnrollment(enrolling, 'sms', sms.enrollmentId, lastSmsCode());
      clock.advance(30); // the enrollment spent this time step
      const challengeId: string = await engine.enforce(subject, target).then(
        () => Promise.reject(new Error('expected MFA_REQUIRED')),
        (err) => err.details.challenge.id,
      );
      if (method === 'sms') await engine.sendChallengeCode(subject, challengeId, 'sms');
      const code =
        method === 'backup_code' ? backupCodes![0] : method === 'totp' ? totpCode(totp.secret) : lastSmsCode();
      return { challengeId, code, totpId: totp.enrollmentId };
    });
  }

  /** What a fresh store says: is the code spent, is the verification recorded, is the challenge completed? */
  async function stateAfter(
    store: TypeOrmMfaStore,
    method: FactorType,
    subject: MfaSubject,
    challengeId: string,
    totpId: string,
  ) {
    const now = clock.now();
    const challenge = (await store.findChallenge(challengeId))!;
    const spent =
      method === 'backup_code'
        ? (await store.listUnusedBackupCodes(USER)).length < 10
        : method === 'sms'
          ? (await store.findLiveOtpCode(USER, `challenge:${challengeId}`, 'sms', now)) === null
          : (await store.findEnrollment(USER, totpId))!.lastStep === Math.floor(now / 30_000);
    const ref = sessionRefOf(subject.sessionId);
    const recorded =
      (await store.listSessionFactors(USER, ref)).length +
        (await store.listUnspentGrants(USER, ref, challenge.requirement.scope, now)).length >
      0;
    return { spent, recorded, completed: challenge.status === 'completed' };
  }

  it.each([
    ['a backup code', 'the session verification', 'backup_code', SESSION],
    ['a backup code', 'a single-use grant', 'backup_code', GRANT],
    ['an SMS code', 'the session verification', 'sms', SESSION],
    ['a TOTP time step', 'the session verification', 'totp', SESSION],
  ] as const)(
    '%s killed between its spend and writing %s stays unspent and usable exactly once',
    async (_code, _earned, method, target) => {
      const subject = { userId: USER, sessionId: `victim-${method}` };
      const { challengeId, code, totpId } = await enrolledWithChallenge(method, target, subject);

      const child = await verifyInChild({
        database,
        key: TEST_KEY,
        now: clock.now(),
        subject,
        challengeId,
        method,
        code,
      });
      expect({ signal: child.signal, output: child.output }).toEqual({ signal: 'SIGKILL', output: '' }); // died at the fail-point

      await withEngine(async (engine, store) => {
        const afterCrash = await stateAfter(store, method, subject, challengeId, totpId);
        expect(afterCrash.spent).toBe(afterCrash.recorded); // never spent-but-unrecorded
        expect(afterCrash).toEqual({ spent: false, recorded: false, completed: false }); // the kill came before COMMIT

        await expect(engine.verifyChallenge(subject, challengeId, method, code)).resolves.toMatchObject({
          method,
          singleUse: target === GRANT,
        });
        expect(await stateAfter(store, method, subject, challengeId, totpId)).toEqual({
          spent: true,
          recorded: true,
          completed: true,
        });

        const again = { userId: USER, sessionId: `again-${method}` };
        const next: string = await engine.enforce(again, target).catch((err) => err.details.challenge.id);
        await expect(engine.verifyChallenge(again, next, method, code)).rejects.toMatchObject({ code: 'INVALID_CODE' });
      });
    },
    CHILD_MS,
  );
});
