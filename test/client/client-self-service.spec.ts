// Invariant: the self-service and admin helpers reach the server's routes with the caller's
// session, refusals arrive as MfaClientError with the server's code, and an admin change
// that needs a fresh verification prompts through onChallenge like any request.
import { MfaClientError, type MfaClient, type OnChallenge } from '../../src/client';
import { FIXTURE_POLICY } from '../fixtures/fixture-policy';
import { totpAt } from '../support/test-app';
import { ClientHarness, enrollTotp, startClientHarness } from './client-harness';

describe('client self-service and admin helpers', () => {
  let h: ClientHarness;
  beforeEach(async () => (h = await startClientHarness('nest')));
  afterEach(() => h.close());

  const totpFor =
    (secret: string): OnChallenge =>
    async () => {
      h.t.clock.advance(30);
      return { method: 'totp', code: totpAt(secret, h.t.clock) };
    };

  it('lists, renames and removes factors', async () => {
    const mfa = (await h.browser('bob')).client();
    await enrollTotp(h, mfa);
    const second = await mfa.enrollments.startTotp('Tablet');
    await mfa.enrollments.confirmTotp(second.enrollmentId, totpAt(second.secret, h.t.clock));

    const { factors, backupCodes } = await mfa.enrollments.list();
    expect(factors.map((f) => f.label)).toEqual(['Authenticator app', 'Tablet']);
    expect(backupCodes.remaining).toBe(10);
    expect(await mfa.enrollments.rename(second.enrollmentId, 'Old tablet')).toMatchObject({ label: 'Old tablet' });
    expect(await mfa.enrollments.remove(second.enrollmentId)).toMatchObject({ removed: true });
    expect((await mfa.enrollments.list()).factors).toHaveLength(1);
  });

  it('remembers this browser on a step-up, then lists and revokes the trusted device', async () => {
    const first = (await h.browser('alice')).client();
    const { secret } = await enrollTotp(h, first);
    const browser = await h.browser('alice');
    const mfa = browser.client({
      onChallenge: async () => ({ method: 'totp', code: totpAt(secret, h.t.clock), rememberDevice: true }),
    });
    expect((await mfa.fetch('/payments')).status).toBe(200);

    const { devices } = await mfa.devices.list();
    expect(devices).toEqual([expect.objectContaining({ id: expect.any(String), current: true })]);
    expect(await mfa.devices.revoke(devices[0].id)).toEqual({ revoked: 1 });
    expect(await mfa.devices.revokeAll()).toEqual({ revoked: 0 });
    const gone = await mfa.devices.revoke(devices[0].id).catch((e: unknown) => e);
    expect(gone).toMatchObject({ name: 'MfaClientError', code: 'DEVICE_NOT_FOUND', status: 404 });
    expect(await mfa.sessions.revokeOthers()).toMatchObject({ mfaStateVoided: expect.any(Number) });
  });

  it('serves the admin: a user view, a refusal for a non-admin, a fresh step-up for a change', async () => {
    const bob = (await h.browser('bob')).client();
    await enrollTotp(h, bob);
    const alice = (await h.browser('alice')).client();
    const { secret } = await enrollTotp(h, alice);

    const view = await alice.admin.viewUser('u-bob');
    expect(view).toMatchObject({ userId: 'u-bob', factors: [expect.objectContaining({ type: 'totp' })] });
    const forbidden = await bob.admin.viewUser('u-alice').catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(MfaClientError);
    expect(forbidden).toMatchObject({ code: 'MFA_ADMIN_FORBIDDEN', status: 403 });

    const onChallenge = jest.fn(totpFor(secret));
    const later: MfaClient = (await h.browser('alice')).client({ onChallenge });
    expect(await later.admin.clearLockout('u-bob')).toEqual({ cleared: true });
    expect(onChallenge).toHaveBeenCalledTimes(1);
    expect((await later.admin.policy.versions()).versions[0]).toMatchObject({ version: 1, active: true });
    expect(await later.admin.policy.version(1)).toMatchObject({ version: 1, document: expect.any(Object) });
    const explained = await later.admin.policy.explain({ userId: 'u-bob', target: { service: 'payments' } });
    expect(explained).toMatchObject({ outcome: 'challenge', policyVersion: 1 });
    const created = await later.admin.policy.create({ ...FIXTURE_POLICY, rules: [] }, 'no risk rules');
    expect(created).toMatchObject({ version: 2, active: false, comment: 'no risk rules' });
    expect(await later.admin.policy.activate(2)).toMatchObject({ version: 2, active: true });
    expect(await later.admin.policy.rollback()).toMatchObject({ version: 1, active: true });
    const audit = await later.admin.audit({ limit: 5, from: new Date(0) }).catch((e: unknown) => e);
    expect(audit).toMatchObject({ code: 'AUDIT_QUERY_UNAVAILABLE', status: 404 });
  });

  it('issues a recovery ticket as admin and redeems it as the user', async () => {
    const bob = (await h.browser('bob')).client();
    await enrollTotp(h, bob);
    const alice = (await h.browser('alice')).client();
    await enrollTotp(h, alice);

    const { ticket } = await alice.admin.issueRecoveryTicket('u-bob', { reason: 'identity checked by video call' });
    const redeemed = await (await h.browser('bob')).client().recovery.redeem(ticket);
    expect(redeemed).toMatchObject({ redeemed: true });
    expect((await bob.enrollments.list()).factors).toEqual([]);
  });
});
