// Invariant: secrets at rest are AES-256-GCM ciphertexts bound to their row — the database holds
// no seed, no code and no backup code in the clear, and a ciphertext moved to another user's
// row fails to open (and so matches nothing).
import { fromBase32 } from '../../libs/core/src';
import { MATRIX, TestApp, challengeFor, signIn, signInEnrolled, startTestApp, totpAt } from '../support/test-app';

const TABLES = ['mfa_enrollments', 'mfa_backup_codes', 'mfa_challenges', 'mfa_session_factors', 'mfa_audit_events'];

describe.each(MATRIX)('secrets at rest on %s', (_name, backend, adapter) => {
  let t: TestApp;
  beforeEach(async () => (t = await startTestApp(backend, adapter)));
  afterEach(() => t.close());

  async function dumpDatabase(): Promise<string> {
    const rows = await Promise.all(TABLES.map((table) => t.store.dataSource.query(`SELECT * FROM ${table}`)));
    return JSON.stringify(rows).toLowerCase();
  }

  it('stores no seed, code or backup code in the clear', async () => {
    const { secret, backupCodes } = await signInEnrolled(t);
    const dump = await dumpDatabase();
    const seed = fromBase32(secret);
    const forbidden = [
      secret,
      seed.toString('hex'),
      seed.toString('base64'),
      seed.toString('base64url'),
      ...backupCodes,
      ...backupCodes.map((c) => c.replace(/-/g, '')),
    ];
    for (const needle of forbidden) expect(dump).not.toContain(needle.toLowerCase());
    const [row] = await t.store.dataSource.query('SELECT sealed_secret, key_id FROM mfa_enrollments');
    expect(row.sealed_secret).toMatch(/^v1\.k1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/); // version.key.iv(96 bits).body.tag
    const hashes = await t.store.dataSource.query('SELECT code_hash FROM mfa_backup_codes');
    expect(new Set(hashes.map((h: { code_hash: string }) => h.code_hash.split('$')[4])).size).toBe(10); // a salt per code
  });

  it('a ciphertext swapped between users opens for neither', async () => {
    const alice = await signInEnrolled(t, 'alice');
    const bob = await signInEnrolled(t, 'bob');
    const q = (sql: string) => t.store.dataSource.query(sql);
    const [a] = await q(`SELECT sealed_secret FROM mfa_enrollments WHERE user_id = 'u-alice'`);
    const [b] = await q(`SELECT sealed_secret FROM mfa_enrollments WHERE user_id = 'u-bob'`);
    await q(`UPDATE mfa_enrollments SET sealed_secret = '${b.sealed_secret}' WHERE user_id = 'u-alice'`);
    await q(`UPDATE mfa_enrollments SET sealed_secret = '${a.sealed_secret}' WHERE user_id = 'u-bob'`);

    for (const [user, secret] of [
      ['alice', bob.secret],
      ['alice', alice.secret],
      ['bob', bob.secret],
    ] as const) {
      const agent = await signIn(t, user);
      const id = await challengeFor(agent);
      const res = await agent
        .post(`/mfa/challenges/${id}/verify`)
        .send({ method: 'totp', code: totpAt(secret, t.clock) });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CODE');
    }
    expect(t.audit.ofType('secret.unreadable').every((e) => e.severity === 'critical')).toBe(true);
    expect(t.audit.ofType('secret.unreadable').length).toBe(3);
  });
});
