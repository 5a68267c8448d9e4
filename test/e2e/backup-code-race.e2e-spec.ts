// Invariant: a backup code is spent exactly once, even by 20 concurrent redemptions
// (Keycloak #26106 spent recovery codes twice), and regenerating voids the whole earlier set.
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp } from '../support/test-app';

describe.each(MATRIX)('backup-code race on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter, { lockout: { maxAttempts: 100 } })));
  afterEach(() => t.close());

  it('20 concurrent redemptions of one code give exactly one success', async () => {
    const { backupCodes } = await signInEnrolled(t);
    const agents = await Promise.all(Array.from({ length: 20 }, () => signIn(t)));
    const challenges = await Promise.all(agents.map((a) => challengeFor(a)));
    const statuses = await Promise.all(
      agents.map((a, i) =>
        a
          .post(`/mfa/challenges/${challenges[i]}/verify`)
          .send({ method: 'backup_code', code: backupCodes[3] })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(19);
    expect((await t.store.listUnusedBackupCodes('u-alice')).length).toBe(9);
  });

  it('a spent code stays spent; a regenerated set voids every earlier code', async () => {
    const { agent, backupCodes } = await signInEnrolled(t);
    const one = await signIn(t);
    await one
      .post(`/mfa/challenges/${await challengeFor(one)}/verify`)
      .send({ method: 'backup_code', code: backupCodes[0] })
      .expect(200);
    const two = await signIn(t);
    const id = await challengeFor(two);
    await two.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: backupCodes[0] }).expect(401);

    await agent.post('/mfa/backup-codes/regenerate').expect(200);
    for (const old of backupCodes.slice(1, 4)) {
      await two.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: old }).expect(401);
    }
  });

  it('lets exactly one of many concurrent conditional writes consume a code row', async () => {
    await signInEnrolled(t);
    const [row] = await t.store.listUnusedBackupCodes('u-alice');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.store.consumeBackupCode('u-alice', row.id, t.clock.now())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
