import {
  DAY,
  NOW,
  FakeComplianceStore,
  FakeExemptingStore,
  exemption,
  policy,
  EVERYONE,
  ADMINS,
} from '../../../../test/support/compliance-fakes';
import { complianceCsv } from './compliance-csv';
import { buildComplianceReport, complianceStoreOf } from './compliance-report';

describe('compliance report', () => {
  it('lists covered users without a factor with the grace the enforcer would give them', async () => {
    const store = new FakeComplianceStore([
      { userId: 'enrolled', activeFactors: ['totp'], enrollmentRequiredSince: NOW - 30 * DAY },
      { userId: 'late', enrollmentRequiredSince: NOW - 8 * DAY - 1 },
      { userId: 'ends-today', enrollmentRequiredSince: NOW - 7 * DAY - 3_600_000 },
      { userId: 'in-grace', enrollmentRequiredSince: NOW - 2 * DAY + 3_600_000 },
      { userId: 'never-seen' },
      { userId: 'forced', reenrollmentForcedAt: NOW - 3 * DAY },
    ]);
    const report = await buildComplianceReport(store, EVERYONE, NOW);
    const byUser = Object.fromEntries(report.missingFactor.map((m) => [m.userId, m]));
    expect(Object.keys(byUser).sort()).toEqual(['ends-today', 'forced', 'in-grace', 'late', 'never-seen']);
    expect(byUser.late).toMatchObject({ status: 'overdue', graceDaysLeft: -1, overdue: true, groups: null });
    expect(byUser['ends-today']).toMatchObject({ status: 'overdue', graceDaysLeft: 0, overdue: true });
    expect(byUser['in-grace']).toMatchObject({
      status: 'in_grace',
      graceDaysLeft: 6, // 5 days and an hour: rounded up
      overdue: false,
      graceEndsAt: new Date(NOW + 5 * DAY + 3_600_000).toISOString(),
    });
    expect(byUser['never-seen']).toMatchObject({ status: 'not_started', graceDaysLeft: 7, requiredSince: null });
    expect(byUser.forced).toMatchObject({ status: 'reenrollment_forced', overdue: true, graceDaysLeft: -3 });
    expect(report).toMatchObject({
      coverage: 'store',
      policyVersion: 3,
      mandatoryEnrollment: { everyone: true, groups: [], graceDays: 7 },
      totals: { usersChecked: 6, missingFactor: 5, overdue: 3 },
      byGroup: [{ group: '(unknown)', missingFactor: 5, overdue: 3, exempt: 0 }],
    });
  });

  it('without a directory, counts a user under a group rule only once the requirement applied to them', async () => {
    const store = new FakeComplianceStore([
      { userId: 'applied', enrollmentRequiredSince: NOW - DAY },
      { userId: 'unknown-groups', backupCodesLeft: 0 },
    ]);
    const report = await buildComplianceReport(store, ADMINS, NOW);
    expect(report.missingFactor.map((m) => m.userId)).toEqual(['applied']);
    // Enrollment not mandatory: only forced re-enrollment is a gap.
    const none = await buildComplianceReport(store, policy(null), NOW);
    expect(none).toMatchObject({ mandatoryEnrollment: null, missingFactor: [] });
  });

  it("covers every user of the host's directory, by the groups that put them under the requirement", async () => {
    const store = new FakeComplianceStore([
      { userId: 'u1', enrollmentRequiredSince: NOW - 10 * DAY },
      { userId: 'u2', activeFactors: ['webauthn'] },
    ]);
    const directory = async function* () {
      yield { userId: 'u1', groups: ['admins', 'staff'] };
      yield { userId: 'u2', groups: ['admins'] };
      yield { userId: 'u3', groups: ['finance', 'admins'] }; // never signed in since MFA came
      yield { userId: 'u4', groups: ['staff'] }; // not covered
    };
    const report = await buildComplianceReport(store, ADMINS, NOW, { directory: directory(), batchSize: 3 });
    expect(report.coverage).toBe('directory');
    expect(report.missingFactor).toEqual([
      expect.objectContaining({ userId: 'u1', groups: ['admins'], status: 'overdue', graceDaysLeft: -3 }),
      expect.objectContaining({ userId: 'u3', groups: ['finance', 'admins'], status: 'not_started' }),
    ]);
    expect(report.byGroup).toEqual([
      { group: 'admins', missingFactor: 2, overdue: 1, exempt: 0 },
      { group: 'finance', missingFactor: 1, overdue: 0, exempt: 0 },
    ]);
    expect(report.totals.usersChecked).toBe(4);
    expect(store.calls).toEqual([{ ids: 3 }, { ids: 1 }]);
  });

  it('lists who has only SMS or email, and who has fewer than 3 backup codes left', async () => {
    const store = new FakeComplianceStore([
      { userId: 'a', activeFactors: ['sms', 'email'], backupCodesLeft: 2 },
      { userId: 'b', activeFactors: ['sms', 'totp'], backupCodesLeft: 3 },
      { userId: 'c', activeFactors: ['email'], backupCodesLeft: 0 },
      { userId: 'd', activeFactors: ['totp'] },
    ]);
    const report = await buildComplianceReport(store, policy(null), NOW);
    expect(report.weakFactorsOnly).toEqual([
      { userId: 'a', factors: ['email', 'sms'] },
      { userId: 'c', factors: ['email'] },
    ]);
    expect(report.lowBackupCodes).toEqual([
      { userId: 'a', remaining: 2 },
      { userId: 'c', remaining: 0 },
    ]);
  });

  it('walks the store in bounded pages, each after the last user of the one before', async () => {
    const store = new FakeComplianceStore(['e', 'a', 'd', 'b', 'c'].map((userId) => ({ userId })));
    const report = await buildComplianceReport(store, EVERYONE, NOW, { batchSize: 2 });
    expect(report.totals.usersChecked).toBe(5);
    expect(store.calls).toEqual([
      { after: null, limit: 2 },
      { after: 'b', limit: 2 },
      { after: 'd', limit: 2 },
    ]);
  });

  it('renders one CSV line per finding, defusing cells a spreadsheet would run', async () => {
    const store = new FakeComplianceStore([
      { userId: '=HYPERLINK("x")', enrollmentRequiredSince: NOW - 8 * DAY },
      { userId: 'b,c', activeFactors: ['sms'], backupCodesLeft: 1 },
    ]);
    const csv = complianceCsv(await buildComplianceReport(store, EVERYONE, NOW));
    expect(csv.split('\r\n')).toEqual([
      'finding,user_id,groups,status,grace_days_left,grace_ends_at,factors,backup_codes_left,exempt_until,exemption_id',
      `missing_factor,"'=HYPERLINK(""x"")",,overdue,-1,${new Date(NOW - DAY).toISOString()},,,,`,
      'weak_factors_only,"b,c",,,,,sms,,,',
      'low_backup_codes,"b,c",,,,,,1,,',
      '',
    ]);
  });

  it('counts a user not seen yet as overdue when there is no grace at all', async () => {
    const store = new FakeComplianceStore([{ userId: 'new' }]);
    const report = await buildComplianceReport(store, policy({ everyone: true, groups: [], graceMs: 0 }), NOW);
    expect(report.missingFactor).toEqual([
      expect.objectContaining({ userId: 'new', status: 'not_started', graceDaysLeft: 0, overdue: true }),
    ]);
    expect(report.totals.overdue).toBe(1);
  });

  it('shows a user with an enrollment exemption in force as exempt, not overdue, until it ends', async () => {
    const users = [
      { userId: 'exempt', enrollmentRequiredSince: NOW - 10 * DAY },
      { userId: 'rule-only', enrollmentRequiredSince: NOW - 10 * DAY },
      { userId: 'forced', reenrollmentForcedAt: NOW - DAY },
      { userId: 'enrolled', activeFactors: ['totp' as const] },
    ];
    const store = new FakeExemptingStore(users, [
      exemption('ex-short', 'exempt', NOW + DAY),
      exemption('ex-long', 'exempt', NOW + 5 * DAY),
      exemption('ex-rule', 'rule-only', NOW + 5 * DAY, 'rule'),
      exemption('ex-forced', 'forced', NOW + 5 * DAY),
    ]);
    const report = await buildComplianceReport(store, EVERYONE, NOW, { batchSize: 2 });
    const byUser = Object.fromEntries(report.missingFactor.map((m) => [m.userId, m]));
    expect(byUser.exempt).toMatchObject({
      status: 'exempt',
      overdue: false,
      exemptUntil: new Date(NOW + 5 * DAY).toISOString(),
      exemptionId: 'ex-long',
      graceDaysLeft: -3,
    });
    // A rule exemption does not lift enrollment; nothing lifts a forced re-enrollment.
    expect(byUser['rule-only']).toMatchObject({ status: 'overdue', exemptUntil: null, exemptionId: null });
    expect(byUser.forced).toMatchObject({ status: 'reenrollment_forced', overdue: true, exemptUntil: null });
    expect(report.totals).toMatchObject({ missingFactor: 3, overdue: 2, exempt: 1 });
    expect(report.byGroup).toEqual([{ group: '(unknown)', missingFactor: 3, overdue: 2, exempt: 1 }]);
    // One read per page, only for the page's users without a factor that an exemption could lift.
    expect(store.exemptionReads).toEqual([['exempt'], ['rule-only']]);
    const csv = complianceCsv(report).split('\r\n');
    expect(csv).toContain(
      `missing_factor,exempt,,exempt,-3,${new Date(NOW - 3 * DAY).toISOString()},,,${new Date(NOW + 5 * DAY).toISOString()},ex-long`,
    );

    // The clock moves past the exemption's end: the user is overdue again, by the same grace.
    const later = await buildComplianceReport(store, EVERYONE, NOW + 5 * DAY, { batchSize: 2 });
    expect(later.missingFactor.find((m) => m.userId === 'exempt')).toMatchObject({
      status: 'overdue',
      overdue: true,
      graceDaysLeft: -8,
      exemptUntil: null,
      exemptionId: null,
    });
    expect(later.totals).toMatchObject({ overdue: 3, exempt: 0 });
  });

  it('without the exemption slice, nobody is exempt', async () => {
    const report = await buildComplianceReport(
      new FakeComplianceStore([{ userId: 'late', enrollmentRequiredSince: NOW - 10 * DAY }]),
      EVERYONE,
      NOW,
    );
    expect(report.missingFactor).toEqual([
      expect.objectContaining({ userId: 'late', status: 'overdue', exemptUntil: null, exemptionId: null }),
    ]);
    expect(report.totals.exempt).toBe(0);
  });

  it('refuses a store without the operator reads', () => {
    expect(() => complianceStoreOf({ listEnrollments: () => [] })).toThrow(
      expect.objectContaining({ code: 'OPERATOR_STORE_UNAVAILABLE' }),
    );
  });
});
