// Invariant: a user's passkeys are shown — to the user, to an admin, at a challenge — as metadata
// only, never the credential ID, the public key or the sealed secret; renaming or removing one
// needs a fresh verification, and the user is told of every passkey added or removed.
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type TestAgent from 'supertest/lib/agent';
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { PASSKEY_OPTIONS, PASSKEY_ORIGIN, verifyWithPasskey } from '../support/passkeys';
import { SoftAuthenticator } from '../support/soft-authenticator';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp } from '../support/test-app';

const ICLOUD = 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd';
const PASSKEY_VIEW_KEYS = ['aaguid', 'authenticator', 'backedUp', 'backupEligible', 'transports'];

describe.each(MATRIX)('passkey management on %s', (_name, backend, adapter) => {
  let t: TestApp;
  let run = 0;
  const servers = useDeliveryServers();
  // The inbox lives as long as the suite: each test reads its own address.
  const contact = (userId: string) => `${userId}+${run}@accounts.example`;
  beforeEach(async () => {
    run++;
    t = await startTestApp(backend, adapter, {
      ...PASSKEY_OPTIONS,
      ...deliveryOptions(servers.gateway, servers.inbox),
      contactEmail: contact,
    });
  });
  afterEach(() => t.close());

  interface Enrolled {
    enrollmentId: string;
    response: RegistrationResponseJSON;
    confirm: object;
  }

  /** Like enrollPasskey, keeping the registration response: its ID and public key are what must never come back. */
  async function enroll(agent: TestAgent, authenticator: SoftAuthenticator, label?: string): Promise<Enrolled> {
    const start = await agent
      .post('/mfa/webauthn/enrollments')
      .send(label ? { label } : {})
      .expect(201);
    const response = authenticator.register(start.body.options, PASSKEY_ORIGIN);
    const confirm = await agent
      .post(`/mfa/webauthn/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ response })
      .expect(200);
    return { enrollmentId: start.body.enrollmentId, response, confirm: confirm.body };
  }

  const synced = () => new SoftAuthenticator({ aaguid: ICLOUD, backupEligible: true, backedUp: true });

  /** Bob with a named iCloud passkey and an unnamed device-bound one, a second apart. */
  async function bobWithTwoPasskeys() {
    const agent = await signIn(t, 'bob');
    const phone = synced();
    const laptop = new SoftAuthenticator({ alg: 'EdDSA' });
    const first = await enroll(agent, phone, 'My phone');
    t.clock.advance(1);
    const second = await enroll(agent, laptop);
    return { agent, phone, laptop, enrolled: [first, second] };
  }

  /** Everything a passkey's JSON must never carry: its credential ID, its public key (SPKI and COSE), its sealed row. */
  async function secretsOf(enrolled: Enrolled[]): Promise<string[]> {
    const secrets: string[] = [];
    for (const { enrollmentId, response } of enrolled) {
      const credentialId = response.id;
      const authData = Buffer.from(response.response.authenticatorData!, 'base64url');
      const idLength = authData.readUInt16BE(53);
      const cose = authData.subarray(55 + idLength);
      const row = await t.store.findEnrollment('u-bob', enrollmentId);
      secrets.push(
        credentialId,
        Buffer.from(credentialId, 'base64url').toString('base64'),
        Buffer.from(credentialId, 'base64url').toString('hex'),
        response.response.publicKey!,
        cose.toString('base64url'),
        cose.toString('base64'),
        row!.sealedSecret,
      );
    }
    return secrets;
  }

  function expectMetadataOnly(json: unknown, secrets: string[]): void {
    const raw = JSON.stringify(json);
    for (const secret of secrets) expect(raw).not.toContain(secret);
    expect(raw).not.toMatch(/publicKey|credentialId|credentialKey|sealedSecret|signCount/);
  }

  it('shows the user each passkey’s metadata only, never its credential, key or sealed secret', async () => {
    const { agent, enrolled } = await bobWithTwoPasskeys();
    const list = (await agent.get('/mfa/enrollments').expect(200)).body;
    expect(list.factors).toEqual([
      {
        id: enrolled[0].enrollmentId,
        type: 'webauthn',
        label: 'My phone',
        status: 'active',
        createdAt: expect.any(String),
        confirmedAt: expect.any(String),
        lastUsedAt: expect.any(String),
        passkey: {
          authenticator: 'iCloud Keychain',
          aaguid: ICLOUD,
          backupEligible: true,
          backedUp: true,
          transports: ['internal'],
        },
      },
      expect.objectContaining({
        id: enrolled[1].enrollmentId,
        label: 'Passkey',
        passkey: {
          authenticator: null,
          aaguid: '00000000-0000-0000-0000-000000000000',
          backupEligible: false,
          backedUp: false,
          transports: ['internal'],
        },
      }),
    ]);
    expect(Object.keys(list.factors[1].passkey).sort()).toEqual(PASSKEY_VIEW_KEYS);
    expectMetadataOnly(list, await secretsOf(enrolled));
    // The confirmation's answer is a view too.
    expectMetadataOnly(
      enrolled.map((e) => e.confirm),
      await secretsOf(enrolled),
    );
  });

  it('shows an admin the same metadata, and nothing more', async () => {
    const { enrolled } = await bobWithTwoPasskeys();
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const view = (await admin.get('/mfa/admin/users/u-bob').expect(200)).body;
    const passkeys = view.factors.filter((f: { type: string }) => f.type === 'webauthn');
    expect(passkeys.map((f: { label: string }) => f.label)).toEqual(['My phone', 'Passkey']);
    expect(passkeys[0]).toMatchObject({ passkey: { authenticator: 'iCloud Keychain', aaguid: ICLOUD } });
    for (const factor of passkeys) {
      expect(Object.keys(factor.passkey).sort()).toEqual(PASSKEY_VIEW_KEYS);
      expect(factor).toMatchObject({ createdAt: expect.any(String), lastUsedAt: expect.any(String) });
    }
    expectMetadataOnly(view, await secretsOf(enrolled));
  });

  it('lists the user’s passkeys at a challenge by id, label and provider only', async () => {
    const { enrolled } = await bobWithTwoPasskeys();
    const fresh = await signIn(t, 'bob');
    const challenge = (await fresh.get('/profile/security').expect(401)).body.challenge;
    expect(challenge.methods).toContainEqual({
      type: 'webauthn',
      enrollments: [
        { id: enrolled[0].enrollmentId, label: 'My phone', authenticator: 'iCloud Keychain' },
        { id: enrolled[1].enrollmentId, label: 'Passkey', authenticator: null },
      ],
    });
    expectMetadataOnly(challenge, await secretsOf(enrolled));
  });

  it('moves a passkey’s lastUsedAt when it answers a challenge, and only that one’s', async () => {
    const { agent, laptop, enrolled } = await bobWithTwoPasskeys();
    const before = (await agent.get('/mfa/enrollments').expect(200)).body.factors;
    t.clock.advance(120);
    const fresh = await signIn(t, 'bob');
    await verifyWithPasskey(fresh, await challengeFor(fresh), laptop).then((r) => expect(r.status).toBe(200));
    const after = (await agent.get('/mfa/enrollments').expect(200)).body.factors;
    expect(after[1].id).toBe(enrolled[1].enrollmentId);
    expect(after[1].lastUsedAt).toBe(new Date(t.clock.now()).toISOString());
    expect(Date.parse(after[1].lastUsedAt)).toBeGreaterThan(Date.parse(before[1].lastUsedAt));
    expect(after[0].lastUsedAt).toBe(before[0].lastUsedAt);
  });

  it('renames and removes a passkey only after a fresh verification, telling the user of each passkey', async () => {
    const { agent, phone, enrolled } = await bobWithTwoPasskeys();
    const secrets = await secretsOf(enrolled);
    const laptopId = enrolled[1].enrollmentId;
    t.clock.advance(301);
    const rename = (a: TestAgent) => a.patch(`/mfa/enrollments/${laptopId}`).send({ label: 'Desk key' });
    const refused = await rename(agent).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    expect((await agent.delete(`/mfa/enrollments/${laptopId}`).expect(401)).body.code).toBe('MFA_REQUIRED');
    expect((await t.store.findEnrollment('u-bob', laptopId))?.label).toBe('Passkey');

    // Stepping up with the other passkey makes both changes possible.
    expect((await verifyWithPasskey(agent, refused.body.challenge.id, phone)).status).toBe(200);
    expect((await rename(agent).expect(200)).body).toMatchObject({ id: laptopId, label: 'Desk key' });
    await agent.delete(`/mfa/enrollments/${laptopId}`).expect(200);
    await agent.delete(`/mfa/enrollments/${laptopId}`).expect(404);
    const left = (await agent.get('/mfa/enrollments').expect(200)).body.factors;
    expect(left.map((f: { id: string }) => f.id)).toEqual([enrolled[0].enrollmentId]);
    expect(await t.store.findEnrollment('u-bob', laptopId)).toBeNull();

    await t.engine.notificationsSettled();
    const sent = t.audit
      .ofType('notification.sent')
      .filter((e) => e.userId === 'u-bob' && e.channel === 'webauthn')
      .map((e) => [e.reason, e.enrollmentId]);
    expect(sent).toEqual([
      ['factor.added', enrolled[0].enrollmentId],
      ['factor.added', laptopId],
      ['factor.removed', undefined], // the removal notice names no enrollment: the row is gone
    ]);
    expect(t.audit.ofType('enrollment.removed')).toEqual([
      expect.objectContaining({ userId: 'u-bob', channel: 'webauthn', enrollmentId: laptopId }),
    ]);
    const mail = (await servers.inbox.waitFor(contact('u-bob'), 3)).map((m) => `${m.subject}\n${m.text}`).join('\n');
    expect(mail.match(/A new sign-in method was added to your account/g)).toHaveLength(2);
    expect(mail).toContain('A sign-in method was removed from your account');
    expectMetadataOnly(mail, secrets);
  });
});
