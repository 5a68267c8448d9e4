// Invariant: a signature counter that does not increase (when the authenticator keeps one) means a cloned
// authenticator (WebAuthn §6.1.1): it is refused, audited as high severity and the user is told.
import { MFA_MESSAGE_LOCALES } from '../../libs/core/src/delivery/otp-messages';
import { SqlRunner } from '../../libs/typeorm/src/sql-runner';
import { useDeliveryServers } from '../support/delivery-servers';
import { enrollPasskey, PASSKEY_OPTIONS, passkeyAssertion, verifyWithPasskey } from '../support/passkeys';
import { deliveryOptions } from '../support/sms-gateway';
import { AssertOverrides, SoftAuthenticator } from '../support/soft-authenticator';
import { challengeFor, MATRIX, signIn, startTestApp, TestApp } from '../support/test-app';

const CLONED = MFA_MESSAGE_LOCALES.en.passkeyCloned;

describe.each(MATRIX)('cloned passkey authenticator on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let run = 0;
  const servers = useDeliveryServers();
  // A fresh address per test: the inbox lives for the whole suite.
  const contact = () => `u-alice+${run}@accounts.example`;
  beforeEach(async () => {
    run++;
    t = await startTestApp(backend, adapter, {
      ...PASSKEY_OPTIONS,
      ...deliveryOptions(servers.gateway, servers.inbox),
      lockout: { maxAttempts: 100 },
      contactEmail: (userId) => `${userId}+${run}@accounts.example`,
    });
  });
  afterEach(() => t.close());

  async function enroll(authenticator: SoftAuthenticator): Promise<string> {
    return (await enrollPasskey(await signIn(t), authenticator)).enrollmentId;
  }

  /** A new sign-in answering its challenge with the passkey: the status and error code it gets. */
  async function verify(authenticator: SoftAuthenticator, overrides?: AssertOverrides) {
    const agent = await signIn(t);
    const res = await verifyWithPasskey(agent, await challengeFor(agent), authenticator, overrides);
    return { status: res.status, code: res.body.code as string | undefined };
  }

  async function storedCounter(enrollmentId: string): Promise<number> {
    const [row] = await new SqlRunner(t.store.dataSource).select<{ last_step: unknown }>(
      'SELECT last_step FROM mfa_enrollments WHERE id = ?',
      [enrollmentId],
    );
    return Number(row.last_step);
  }

  async function told(): Promise<string[]> {
    await t.engine.notificationsSettled();
    return servers.inbox
      .to(contact())
      .map((m) => m.text ?? '')
      .filter((text) => text.includes(CLONED));
  }

  const clonesAudited = () => t.audit.ofType('webauthn.cloned_authenticator');

  it('refuses a clone repeating a counter already accepted, audits it as high severity and tells the user', async () => {
    const original = new SoftAuthenticator();
    const enrollmentId = await enroll(original);
    const clone = original.clone();
    expect(await verify(original)).toEqual({ status: 200, code: undefined });
    expect(await verify(clone)).toEqual({ status: 401, code: 'INVALID_CODE' }); // its own counter is also at 1

    expect(clonesAudited()).toEqual([
      expect.objectContaining({
        severity: 'high',
        userId: 'u-alice',
        enrollmentId,
        outcome: 'refused',
        reason: 'signature counter 1 after 1',
      }),
    ]);
    expect(await told()).toHaveLength(1);
    expect(await storedCounter(enrollmentId)).toBe(1);
  });

  it('refuses a counter that goes backwards, and tells the user', async () => {
    const authenticator = new SoftAuthenticator();
    const enrollmentId = await enroll(authenticator);
    for (let i = 0; i < 3; i++) expect((await verify(authenticator)).status).toBe(200);
    expect(await verify(authenticator, { counter: 2 })).toEqual({ status: 401, code: 'INVALID_CODE' });
    expect(clonesAudited()).toEqual([
      expect.objectContaining({ severity: 'high', enrollmentId, reason: 'signature counter 2 after 3' }),
    ]);
    expect(await told()).toHaveLength(1);
  });

  it('accepts an authenticator that keeps no counter every time', async () => {
    const authenticator = new SoftAuthenticator({ counter: 'zero' });
    const enrollmentId = await enroll(authenticator);
    for (let i = 0; i < 4; i++) expect((await verify(authenticator)).status).toBe(200);
    expect(clonesAudited()).toHaveLength(0);
    expect(await told()).toHaveLength(0);
    expect(await storedCounter(enrollmentId)).toBe(0);
  });

  it('refuses a counting credential that suddenly reports 0 as a clone', async () => {
    const authenticator = new SoftAuthenticator();
    const enrollmentId = await enroll(authenticator);
    expect((await verify(authenticator)).status).toBe(200);
    expect(await verify(authenticator, { counter: 0 })).toEqual({ status: 401, code: 'INVALID_CODE' });
    expect(clonesAudited()).toEqual([
      expect.objectContaining({ severity: 'high', enrollmentId, reason: 'signature counter 0 after 1' }),
    ]);
    expect(await told()).toHaveLength(1);
    expect(await storedCounter(enrollmentId)).toBe(1);
  });

  it('stores the counter it accepted and never moves it back', async () => {
    const authenticator = new SoftAuthenticator();
    const enrollmentId = await enroll(authenticator);
    expect(await storedCounter(enrollmentId)).toBe(0); // what registration reported
    expect((await verify(authenticator)).status).toBe(200);
    expect(await storedCounter(enrollmentId)).toBe(1);
    expect((await verify(authenticator, { counter: 10 })).status).toBe(200); // a jump forward is fine
    expect(await storedCounter(enrollmentId)).toBe(10);
    expect((await verify(authenticator, { counter: 5 })).status).toBe(401);
    expect((await verify(authenticator)).status).toBe(401); // 6: still not past 10
    expect(await storedCounter(enrollmentId)).toBe(10);
    expect((await verify(authenticator, { counter: 11 })).status).toBe(200);
    expect(await storedCounter(enrollmentId)).toBe(11);
    expect(clonesAudited()).toHaveLength(2);
  });

  it('lets at most one of an authenticator and its clones in when they answer at once with the same counter', async () => {
    const original = new SoftAuthenticator();
    const enrollmentId = await enroll(original);
    const twins = [original, original.clone(), original.clone(), original.clone()];
    // Each its own session and challenge, all signed before any is posted: every assertion carries counter 1.
    const agents = await Promise.all(twins.map(() => signIn(t)));
    const challenges = await Promise.all(agents.map((agent) => challengeFor(agent)));
    const assertions: object[] = [];
    for (const [i, twin] of twins.entries()) assertions.push(await passkeyAssertion(agents[i], challenges[i], twin));

    const statuses = await Promise.all(
      agents.map((agent, i) =>
        agent
          .post(`/mfa/challenges/${challenges[i]}/verify`)
          .send({ method: 'webauthn', response: assertions[i] })
          .then((r) => r.status),
      ),
    );
    // The conditional write in the verification transaction decides it, whichever request reads the counter first.
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 401)).toBe(true);
    expect(await storedCounter(enrollmentId)).toBe(1);
    // Losing to the counter (not to a spent challenge) is a clone too: every loser is reported as one.
    const losers = statuses.filter((s) => s !== 200).length;
    expect(t.audit.ofType('webauthn.cloned_authenticator')).toHaveLength(losers);
  });
});
