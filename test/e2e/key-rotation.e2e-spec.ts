// Invariant: rotating the encryption key re-seals every secret under the new key, after which
// the old key can be retired without losing a single enrollment.
import { randomBytes } from 'node:crypto';
import {
  fromBase32,
  ManualClock,
  MfaEngine,
  TotpFactor,
  DEFAULT_TOTP_PROFILE,
  MfaCoreOptions,
} from '../../libs/core/src';
import { TypeOrmMfaStore } from '../../libs/typeorm/src';
import { BACKENDS, resetDatabase } from '../support/backends';
import { CapturingAuditSink } from '../support/capturing-audit.sink';

describe.each(BACKENDS.map((b) => [b.name, b] as const))('key rotation on %s', (_name, backend) => {
  let store: TypeOrmMfaStore;
  beforeEach(async () => {
    await resetDatabase(backend);
    store = await TypeOrmMfaStore.connect(backend.options);
  });
  afterEach(() => store.close());

  it('re-seals under the current key; the old key can then be dropped', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const k1 = { id: 'k1', key: randomBytes(32).toString('base64') };
    const k2 = { id: 'k2', key: randomBytes(32).toString('base64') };
    const engine = (keys: MfaCoreOptions['encryption']['keys']) =>
      new MfaEngine({ encryption: { keys }, store, clock, audit: new CapturingAuditSink() });
    const code = (secret: string) => new TotpFactor().generate(fromBase32(secret), DEFAULT_TOTP_PROFILE, clock.now());

    const secrets: string[] = [];
    for (const userId of ['u1', 'u2', 'u3']) {
      const subject = { userId, sessionId: `s-${userId}` };
      const start = await engine([k1]).startTotpEnrollment(subject);
      await engine([k1]).confirmTotpEnrollment(subject, start.enrollmentId, code(start.secret));
      secrets.push(start.secret);
    }

    expect(await engine([k2, k1]).rotateEncryptionKeys()).toBe(3);
    expect(await engine([k2, k1]).rotateEncryptionKeys()).toBe(0);
    const rows = await store.dataSource.query('SELECT key_id FROM mfa_enrollments');
    expect(rows.map((r: { key_id: string }) => r.key_id)).toEqual(['k2', 'k2', 'k2']);

    clock.advance(30);
    const onlyK2 = engine([k2]);
    const subject = { userId: 'u2', sessionId: 'later' };
    const challenge = await onlyK2
      .enforce(subject, { requirement: { steps: [{ factors: 'any' }] } })
      .catch((e) => e.details.challenge);
    await expect(onlyK2.verifyChallenge(subject, challenge.id, 'totp', code(secrets[1]))).resolves.toMatchObject({
      method: 'totp',
    });
  });
});
