// Invariant: every route of the server's MFA_ROUTES (but the SMS providers' delivery reports)
// has a client helper, and each helper calls exactly the route it is listed under, with its
// parameters as single encoded path segments below the configured prefix.
import { MFA_ROUTES } from '../../libs/http/src/mfa-routes';
import { CLIENT_ROUTES, createMfaClient, type MfaClient } from '../../src/client';

const P = {
  challengeId: 'ch/1',
  enrollmentId: 'en 1',
  deviceId: 'dv?1',
  userId: 'u@example',
  version: '7',
  exemptionId: 'ex#1',
};

/** One call of each helper named in CLIENT_ROUTES, with the parameters above. */
const CALLS: Record<string, (c: MfaClient) => Promise<unknown>> = {
  'challenges.verify': (c) => c.challenges.verify(P.challengeId, { method: 'totp', code: '123456' }),
  'challenges.passkeyOptions': (c) => c.challenges.passkeyOptions(P.challengeId),
  'challenges.send': (c) => c.challenges.send(P.challengeId, 'sms'),
  'enrollments.list': (c) => c.enrollments.list(),
  'enrollments.startTotp': (c) => c.enrollments.startTotp('Phone'),
  'enrollments.confirmTotp': (c) => c.enrollments.confirmTotp(P.enrollmentId, '123456'),
  'enrollments.startPasskey': (c) => c.enrollments.startPasskey(),
  'enrollments.confirmPasskey': (c) => c.enrollments.confirmPasskey(P.enrollmentId, {} as never),
  'enrollments.startSms': (c) => c.enrollments.startSms('+905321234512'),
  'enrollments.resendSms': (c) => c.enrollments.resendSms(P.enrollmentId),
  'enrollments.confirmSms': (c) => c.enrollments.confirmSms(P.enrollmentId, '123456'),
  'enrollments.startEmail': (c) => c.enrollments.startEmail('a@example.com'),
  'enrollments.resendEmail': (c) => c.enrollments.resendEmail(P.enrollmentId),
  'enrollments.confirmEmail': (c) => c.enrollments.confirmEmail(P.enrollmentId, '123456'),
  'enrollments.rename': (c) => c.enrollments.rename(P.enrollmentId, 'Work'),
  'enrollments.remove': (c) => c.enrollments.remove(P.enrollmentId),
  'backupCodes.regenerate': (c) => c.backupCodes.regenerate(),
  'devices.list': (c) => c.devices.list(),
  'devices.revoke': (c) => c.devices.revoke(P.deviceId),
  'devices.revokeAll': (c) => c.devices.revokeAll(),
  'sessions.revokeOthers': (c) => c.sessions.revokeOthers(),
  'recovery.redeem': (c) => c.recovery.redeem('ticket'),
  'admin.viewUser': (c) => c.admin.viewUser(P.userId),
  'admin.forceReenrollment': (c) => c.admin.forceReenrollment(P.userId),
  'admin.resetFactor': (c) => c.admin.resetFactor(P.userId, P.enrollmentId),
  'admin.revokeDevice': (c) => c.admin.revokeDevice(P.userId, P.deviceId),
  'admin.revokeDevices': (c) => c.admin.revokeDevices(P.userId),
  'admin.regenerateBackupCodes': (c) => c.admin.regenerateBackupCodes(P.userId),
  'admin.issueRecoveryTicket': (c) => c.admin.issueRecoveryTicket(P.userId, { reason: 'checked' }),
  'admin.clearLockout': (c) => c.admin.clearLockout(P.userId),
  'admin.exemptions.list': (c) => c.admin.exemptions.list(P.userId),
  'admin.exemptions.grant': (c) =>
    c.admin.exemptions.grant(P.userId, { scope: 'enrollment', reason: 'travel', days: 7 }),
  'admin.exemptions.revoke': (c) => c.admin.exemptions.revoke(P.userId, P.exemptionId),
  'admin.compliance': (c) => c.admin.compliance(),
  'admin.policy.versions': (c) => c.admin.policy.versions(),
  'admin.policy.version': (c) => c.admin.policy.version(Number(P.version)),
  'admin.policy.create': (c) => c.admin.policy.create({ rules: [] }),
  'admin.policy.activate': (c) => c.admin.policy.activate(Number(P.version)),
  'admin.policy.rollback': (c) => c.admin.policy.rollback(),
  'admin.policy.explain': (c) => c.admin.policy.explain({ userId: P.userId }),
  'admin.audit': (c) => c.admin.audit(),
  'admin.policy.startReportOnly': (c) => c.admin.policy.startReportOnly(Number(P.version)),
  'admin.policy.stopReportOnly': (c) => c.admin.policy.stopReportOnly(),
  'admin.policy.whatIf': (c) => c.admin.policy.whatIf({ version: 2, from: new Date(0), to: '2026-01-02' }),
  'admin.policy.diff': (c) => c.admin.policy.diff(1, 2),
};

const serverKeys = MFA_ROUTES.filter((r) => r.audience !== 'delivery-report').map((r) => `${r.method} ${r.path}`);

describe('the client covers the route table', () => {
  it('has a helper for every route of MFA_ROUTES but the delivery reports, and none for a route the server lacks', () => {
    expect(Object.keys(CLIENT_ROUTES).sort()).toEqual([...serverKeys].sort());
  });

  it('lists each helper once', () => {
    const helpers = Object.values(CLIENT_ROUTES);
    expect(new Set(helpers).size).toBe(helpers.length);
    expect(Object.keys(CALLS).sort()).toEqual([...helpers].sort());
  });

  it.each(Object.entries(CLIENT_ROUTES))('%s is what %s calls', async (key, helper) => {
    const sent: string[] = [];
    const client = createMfaClient({
      baseUrl: 'https://app.example',
      routePrefix: 'auth/mfa/',
      fetch: async (input, init) => {
        const url = new URL(String(input));
        sent.push(`${init?.method} ${url.pathname}`);
        return Response.json({ options: {}, enrollmentId: 'e' });
      },
    });
    const target = helper.split('.').reduce<any>((node, name) => node?.[name], client);
    expect(typeof target).toBe('function');

    await CALLS[helper](client);
    const [method, path] = key.split(' ');
    const filled = path.replace(/:(\w+)/g, (_m, name: keyof typeof P) => encodeURIComponent(P[name]));
    expect(sent).toEqual([`${method} /auth/mfa${filled}`]);
  });
});
