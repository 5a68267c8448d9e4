// Invariant: a user running out of backup codes hears of it — one `backup_codes.low` notice
// for each spend that leaves 2 or fewer (at 2, at 1, at 0), sent after the spend is committed,
// never failing the verification when the notifier fails — and sees how many are left in their
// profile and in a challenge's methods; a new set still needs a fresh step-up.
import type { MfaNotification, Notifier } from '../../libs/core/src';
import { createOwnDatabase, ownDatabaseBackends } from '../support/own-database';
import { Adapter, challengeFor, signIn, signInEnrolled, startTestApp, TestApp, totpAt } from '../support/test-app';

const backends = ownDatabaseBackends('mfa_e2e_backup_codes_low', { type: 'better-sqlite3', database: ':memory:' });
const MATRIX = backends.flatMap((b) =>
  (['nest', 'express5'] as Adapter[]).map((a) => [`${b.name} via ${a}`, b, a] as const),
);

/** The host's notifier: records what it was asked to send; `failing` throws as a dead mail server would. */
class RecordingNotifier implements Notifier {
  readonly sent: MfaNotification[] = [];
  failing = false;
  async notify(n: MfaNotification): Promise<'sent'> {
    if (this.failing) throw new Error('mail server unreachable');
    this.sent.push(n);
    return 'sent';
  }
  low(): string[] {
    return this.sent.filter((n) => n.type === 'backup_codes.low').map((n) => n.detail!);
  }
}

describe.each(MATRIX)('backup codes running out on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let notifier: RecordingNotifier;
  beforeAll(() => createOwnDatabase(backend));
  beforeEach(async () => {
    notifier = new RecordingNotifier();
    t = await startTestApp(backend, adapter, { notifier });
  });
  afterEach(() => t.close());

  /** A new session answers its challenge with a backup code; returns the count its methods offered. */
  async function spend(code: string): Promise<number | undefined> {
    const agent = await signIn(t);
    const challenge = (await agent.get('/profile/security').expect(401)).body.challenge;
    const offered = challenge.methods.find((m: { type: string }) => m.type === 'backup_code');
    await agent.post(`/mfa/challenges/${challenge.id}/verify`).send({ method: 'backup_code', code }).expect(200);
    await t.engine.notificationsSettled();
    return offered?.remaining;
  }

  it('tells the user at 2, 1 and 0 codes left, and shows the count in the profile and the challenge', async () => {
    const { agent, backupCodes } = await signInEnrolled(t);
    expect(backupCodes).toHaveLength(10);
    const offered: Array<number | undefined> = [];
    for (const [i, code] of backupCodes.entries()) {
      offered.push(await spend(code));
      expect(notifier.low()).toEqual(['2', '1', '0'].slice(0, Math.max(0, i - 6)));
    }
    expect(offered).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(notifier.sent.filter((n) => n.type === 'backup_code.used')).toHaveLength(10);
    expect(notifier.sent.filter((n) => n.type === 'backup_codes.low').every((n) => n.userId === 'u-alice')).toBe(true);
    expect((await agent.get('/mfa/enrollments').expect(200)).body.backupCodes).toEqual({ remaining: 0 });
    // None left: a challenge no longer offers them (and says nothing more about them).
    const methods = (await (await signIn(t)).get('/profile/security').expect(401)).body.challenge.methods;
    expect(methods.map((m: { type: string }) => m.type)).toEqual(['totp']);
    // A spend the store refuses (a code used already) is told nothing: notices follow the commit.
    const replay = await signIn(t);
    await replay
      .post(`/mfa/challenges/${await challengeFor(replay)}/verify`)
      .send({ method: 'backup_code', code: backupCodes[9] })
      .expect(401);
    await t.engine.notificationsSettled();
    expect(notifier.low()).toEqual(['2', '1', '0']);
  });

  it('never fails the verification when the notifier fails; the failure is audited', async () => {
    const { backupCodes } = await signInEnrolled(t);
    for (const code of backupCodes.slice(0, 7)) await spend(code);
    notifier.failing = true;
    await spend(backupCodes[7]); // 2 left: the notice fails, the sign-in does not
    const failed = t.audit.ofType('notification.failed').filter((e) => e.reason === 'backup_codes.low');
    expect(failed).toHaveLength(1);
    expect(t.audit.ofType('backup_code.used').at(-1)).toMatchObject({ reason: '2 left', outcome: 'success' });
  });

  it('needs a fresh step-up for a new set, which starts the count over', async () => {
    const { agent, secret, backupCodes } = await signInEnrolled(t);
    for (const code of backupCodes.slice(0, 8)) await spend(code);
    expect(notifier.low()).toEqual(['2']);
    t.clock.advance(301); // past reauthMaxAge: the enrollment's verification is no longer fresh
    const stale = await agent.post('/mfa/backup-codes/regenerate').send({}).expect(401);
    expect(stale.body.code).toBe('MFA_REQUIRED');
    await agent
      .post(`/mfa/challenges/${stale.body.challenge.id}/verify`)
      .send({ method: 'totp', code: totpAt(secret, t.clock) })
      .expect(200);
    const fresh = (await agent.post('/mfa/backup-codes/regenerate').send({}).expect(200)).body.backupCodes;
    expect((await agent.get('/mfa/enrollments').expect(200)).body.backupCodes).toEqual({ remaining: 10 });
    expect(await spend(fresh[0])).toBe(10);
    expect(notifier.low()).toEqual(['2']); // 9 left: nothing new to tell
  });
});
