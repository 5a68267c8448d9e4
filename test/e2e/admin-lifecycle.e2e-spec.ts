// Help-desk and admin operations: rights come from the app's hook, changes need the
// admin's own fresh verification, every action is audited with the acting admin, the
// user is told, and nothing an admin sees is a secret.
import { deliveryOptions } from '../support/sms-gateway';
import { useDeliveryServers } from '../support/delivery-servers';
import { DEVICE_POLICY, rememberThisBrowser, signInAgain } from '../support/devices';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

describe.each(MATRIX)('admin lifecycle on %s', (_name, backend, adapter) => {
  let t: TestApp;
  const servers = useDeliveryServers();
  beforeEach(async () => {
    t = await startTestApp(backend, adapter, {
      ...deliveryOptions(servers.gateway, servers.inbox),
      policy: DEVICE_POLICY,
      trustedDeviceCookie: { secure: false },
      contactEmail: (userId) => `${userId}@accounts.example`,
    });
  });
  afterEach(() => t.close());

  it('shows a user metadata only, and only to admins', async () => {
    const bob = await signInEnrolled(t, 'bob');
    await signInAgain(bob.agent, 'bob');
    await rememberThisBrowser(t, bob.agent, bob.secret);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const view = await admin.get('/mfa/admin/users/u-bob').expect(200);
    expect(view.body).toMatchObject({
      userId: 'u-bob',
      factors: [expect.objectContaining({ type: 'totp', status: 'active' })],
      backupCodes: { remaining: 10 },
      devices: [expect.objectContaining({ label: expect.any(String) })],
      lockout: expect.objectContaining({ totp: { failures: 0, lockedForSeconds: 0 } }),
    });
    const raw = JSON.stringify(view.body);
    expect(raw).not.toContain(bob.secret);
    for (const code of bob.backupCodes) expect(raw).not.toContain(code);
    expect((await bob.agent.get('/mfa/admin/users/u-alice').expect(403)).body.code).toBe('MFA_ADMIN_FORBIDDEN');
  });

  it('forces re-enrollment: factors, codes, devices and verified sessions go; the user must enroll at once', async () => {
    const bob = await signInEnrolled(t, 'bob');
    await bob.agent.get('/profile/security').expect(200);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    await admin.post('/mfa/admin/users/u-bob/reenrollment').send({}).expect(200);

    const refused = await bob.agent.get('/profile/security').expect(403);
    expect(refused.body).toMatchObject({ code: 'MFA_ENROLLMENT_REQUIRED', reason: 'reenrollment_forced' });
    expect(await t.store.listUnusedBackupCodes('u-bob')).toEqual([]);
    expect(t.audit.ofType('admin.reenrollment_forced')[0]).toMatchObject({
      userId: 'u-bob',
      actor: 'u-alice',
      severity: 'critical',
    });

    // Enrolling again lifts it (the user has no factor, so no step-up is owed).
    const start = await bob.agent.post('/mfa/totp/enrollments').send({}).expect(201);
    await bob.agent
      .post(`/mfa/totp/enrollments/${start.body.enrollmentId}/confirm`)
      .send({ code: totpAt(start.body.secret, t.clock) })
      .expect(200);
    await bob.agent.get('/profile/security').expect(200);
  });

  it('resets one factor, revokes devices, regenerates codes — each audited with the admin, each told to the user', async () => {
    const bob = await signInEnrolled(t, 'bob');
    await signInAgain(bob.agent, 'bob');
    await rememberThisBrowser(t, bob.agent, bob.secret);
    const { agent: admin } = await signInEnrolled(t, 'alice');
    const [device] = (await admin.get('/mfa/admin/users/u-bob').expect(200)).body.devices;
    await admin.delete(`/mfa/admin/users/u-bob/devices/${device.id}`).expect(200);
    await admin.delete(`/mfa/admin/users/u-bob/devices/${device.id}`).expect(404);

    const codes = (await admin.post('/mfa/admin/users/u-bob/backup-codes').send({}).expect(200)).body.backupCodes;
    expect(codes).toHaveLength(10);
    const fresh = await signIn(t, 'bob');
    const id = await challengeFor(fresh);
    await fresh
      .post(`/mfa/challenges/${id}/verify`)
      .send({ method: 'backup_code', code: bob.backupCodes[0] })
      .expect(401);
    await fresh.post(`/mfa/challenges/${id}/verify`).send({ method: 'backup_code', code: codes[0] }).expect(200);

    const [factor] = (await admin.get('/mfa/admin/users/u-bob').expect(200)).body.factors;
    await admin.delete(`/mfa/admin/users/u-bob/enrollments/${factor.id}`).expect(200);
    expect((await admin.get('/mfa/admin/users/u-bob').expect(200)).body).toMatchObject({
      factors: [],
      backupCodes: { remaining: 0 },
    });
    // Backup codes recover a factor: with none left, neither the admin nor the user gets a set.
    expect((await admin.post('/mfa/admin/users/u-bob/backup-codes').send({}).expect(409)).body.code).toBe(
      'BACKUP_CODES_NEED_FACTOR',
    );
    expect((await fresh.post('/mfa/backup-codes/regenerate').send({}).expect(409)).body.code).toBe(
      'BACKUP_CODES_NEED_FACTOR',
    );

    for (const type of ['device.revoked', 'backup_codes.issued', 'enrollment.removed']) {
      expect(t.audit.ofType(type).filter((e) => e.userId === 'u-bob' && e.actor === 'u-alice')).toHaveLength(1);
    }
    await t.engine.notificationsSettled();
    const told = (await servers.inbox.waitFor('u-bob@accounts.example', 4)).map((m) => m.text ?? '');
    expect(told.join('\n')).toContain('A trusted browser was revoked');
    expect(told.join('\n')).toContain('New backup codes were generated');
    expect(told.join('\n')).toContain('One of your backup codes was just used');
    expect(told.join('\n')).toContain('A sign-in method was removed');
  });

  it("needs the admin's own fresh verification for changes", async () => {
    await signInEnrolled(t, 'bob');
    const { agent: admin } = await signInEnrolled(t, 'alice');
    t.clock.advance(301);
    const refused = await admin.post('/mfa/admin/users/u-bob/reenrollment').send({}).expect(401);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    await admin.get('/mfa/admin/users/u-bob').expect(200); // reading needs no step-up
  });
});
