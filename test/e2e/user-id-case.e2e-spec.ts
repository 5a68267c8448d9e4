// User ids are compared exactly on every backend: the host's users `Case-User` and
// `case-user` (or `Case-User `) never share factors, backup codes or failure counters (MySQL/MariaDB's default
// collation would have folded them into one).
import { BACKENDS } from '../support/backends';
import { startTestApp, TestApp, totpAt } from '../support/test-app';

describe.each(BACKENDS.map((b) => [b.name, b] as const))(
  'user ids that differ only in case on %s',
  (_name, backend) => {
    let t: TestApp;
    beforeEach(async () => (t = await startTestApp(backend, 'nest', { counters: 'database' })));
    afterEach(() => t.close());

    it('keep their own factors, backup codes and counters', async () => {
      const upper = { userId: 'Case-User', sessionId: 'session-upper' };
      const lower = { userId: 'case-user', sessionId: 'session-lower' };
      const start = await t.engine.startTotpEnrollment(upper);
      const confirmed = await t.engine.confirmTotpEnrollment(upper, start.enrollmentId, totpAt(start.secret, t.clock));
      expect(confirmed.backupCodes?.length).toBeGreaterThan(0);

      expect((await t.engine.listEnrollments(lower)).factors).toEqual([]);
      expect((await t.engine.listEnrollments(lower)).backupCodes.remaining).toBe(0);
      expect((await t.engine.listEnrollments(upper)).factors).toHaveLength(1);
      expect((await t.engine.listEnrollments({ userId: 'Case-User ', sessionId: 'session-padded' })).factors).toEqual(
        [],
      );

      for (let i = 0; i < 3; i++) await t.engine.recordLoginFailure('Case-User');
      expect(JSON.stringify(await t.engine.lockoutStatus('case-user'))).not.toMatch(/"failures":[1-9]/);
    });
  },
);
