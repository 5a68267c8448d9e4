import { randomBytes } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import { KeyRing } from '../crypto/key-ring';
import { totpSecretAad } from '../crypto/secret-aad';
import { EncryptionKeyUnavailableError } from '../errors/encryption-key-unavailable.error';
import type { SecurityNotices } from '../lockout/security-notices';
import type { AuditEvent } from '../ports/audit-sink.port';
import type { EnrollmentRecord } from '../ports/mfa-store.port';
import type { VerificationSpend } from '../ports/store/verification.store';
import { DEFAULT_TOTP_PROFILE } from './totp-profile';
import { TotpFactor } from './totp.factor';
import { TotpVerifier } from './totp.verifier';

const k1 = { id: 'k1', key: randomBytes(32).toString('base64') };
const k2 = { id: 'k2', key: randomBytes(32).toString('base64') };
const subject = { userId: 'u1', sessionId: 's1' };
const totp = new TotpFactor();

// Only the key ring differs between instances; the rows are the same bytes everywhere.
function instance(keys: KeyRing) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const events: AuditEvent[] = [];
  const audit = new AuditTrail({ emit: (e) => void events.push(e) }, clock);
  const noticed: string[] = [];
  const notices = {
    replayed: async (who: { userId: string }) => void noticed.push(who.userId),
  } as unknown as SecurityNotices;
  const verifier = new TotpVerifier({ store: {} as never, keyRing: keys, totp }, audit, notices);
  const spends: VerificationSpend[] = [];
  const commit = async (spend: VerificationSpend) => (spends.push(spend), 'committed' as const);
  return { clock, events, verifier, spends, commit, noticed };
}

function app(sealer: KeyRing, id: string, seed = randomBytes(20)): { row: EnrollmentRecord; seed: Buffer } {
  const row: EnrollmentRecord = {
    id,
    userId: subject.userId,
    type: 'totp',
    status: 'active',
    label: null,
    sealedSecret: sealer.seal(seed, totpSecretAad(subject.userId, id)),
    keyId: sealer.currentKeyId,
    profile: DEFAULT_TOTP_PROFILE,
    maskedTarget: null,
    lastStep: null,
    createdAt: 0,
    confirmedAt: 0,
    lastUsedAt: null,
  };
  return { row, seed };
}

describe('TotpVerifier with a seed sealed under a key this instance lacks', () => {
  const newer = new KeyRing({ keys: [k2, k1] });
  const older = new KeyRing({ keys: [k1] });

  it('refuses with ENCRYPTION_KEY_UNAVAILABLE, audits the key once, and spends nothing', async () => {
    const t = instance(older);
    const { row, seed } = app(newer, 'e1');
    const right = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    const verifying = t.verifier.verify(subject, right, t.clock.now(), t.commit, [row]);
    await expect(verifying).rejects.toThrow(EncryptionKeyUnavailableError);
    await expect(verifying).rejects.toMatchObject({ code: 'ENCRYPTION_KEY_UNAVAILABLE', status: 503, keyId: 'k2' });
    expect(t.spends).toEqual([]);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'secret.key_unavailable',
        severity: 'critical',
        enrollmentId: 'e1',
        reason: expect.stringContaining('"k2"'),
      }),
    ]);
    expect(JSON.stringify(t.events)).not.toContain(k2.key);
  });

  it('compares no code at all while one of the apps cannot be opened', async () => {
    const t = instance(older);
    const readable = app(older, 'e1');
    const unreadable = app(newer, 'e2');
    const right = totp.generate(readable.seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(
      t.verifier.verify(subject, right, t.clock.now(), t.commit, [readable.row, unreadable.row]),
    ).rejects.toThrow(EncryptionKeyUnavailableError);
    expect(t.spends).toEqual([]);
    expect(t.events.map((e) => e.type)).toEqual(['secret.key_unavailable']);
  });

  it('refuses the enrollment confirmation the same way', async () => {
    const t = instance(older);
    const { row, seed } = app(newer, 'e1');
    const right = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(t.verifier.activate(subject, { ...row, status: 'pending' }, right, t.clock.now())).rejects.toThrow(
      EncryptionKeyUnavailableError,
    );
  });

  it('still treats a tampered seed under a key it holds as matching nothing', async () => {
    const t = instance(older);
    const { row, seed } = app(older, 'e1');
    const sealed = row.sealedSecret;
    const tampered = { ...row, sealedSecret: sealed.slice(0, -3) + (sealed.endsWith('A') ? 'BBB' : 'AAA') };
    const right = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(t.verifier.verify(subject, right, t.clock.now(), t.commit, [tampered])).resolves.toBe(false);
    expect(t.events.map((e) => [e.type, e.severity])).toEqual([['secret.unreadable', 'critical']]);
    expect(t.spends).toEqual([]);
  });

  it('verifies once the instance holds the key', async () => {
    const t = instance(newer);
    const { row, seed } = app(newer, 'e1');
    const right = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(t.verifier.verify(subject, right, t.clock.now(), t.commit, [row])).resolves.toBe(true);
    expect(t.spends).toEqual([expect.objectContaining({ kind: 'totp_step', enrollmentId: 'e1' })]);
    expect(t.events).toEqual([]);
  });
});

describe('TotpVerifier on a used time step', () => {
  const keys = new KeyRing({ keys: [k1] });

  it("refuses an imported app's import step without a replay alarm: no code of it was ever accepted here", async () => {
    const t = instance(keys);
    const { row, seed } = app(keys, 'e1');
    const step = Math.floor(t.clock.now() / 30_000);
    const imported = { ...row, lastStep: step, lastUsedAt: null };
    const code = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(t.verifier.verify(subject, code, t.clock.now(), t.commit, [imported])).resolves.toBe(false);
    // The code shown just before import, still inside the drift window: no alarm either.
    const before = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now() - 30_000);
    await expect(t.verifier.verify(subject, before, t.clock.now(), t.commit, [imported])).resolves.toBe(false);
    expect(t.events.map((e) => [e.severity, e.reason])).toEqual([
      ['info', 'step_used_at_import'],
      ['info', 'step_used_at_import'],
    ]);
    expect(t.noticed).toEqual([]);
  });

  it('raises the alarm and tells the user when a code this store accepted comes again', async () => {
    const t = instance(keys);
    const { row, seed } = app(keys, 'e1');
    const step = Math.floor(t.clock.now() / 30_000);
    const used = { ...row, lastStep: step, lastUsedAt: t.clock.now() - 1_000 };
    const code = totp.generate(seed, DEFAULT_TOTP_PROFILE, t.clock.now());
    await expect(t.verifier.verify(subject, code, t.clock.now(), t.commit, [used])).resolves.toBe(false);
    expect(t.events).toEqual([expect.objectContaining({ type: 'totp.replay', severity: 'high', reason: 'replay' })]);
    expect(t.noticed).toEqual(['u1']);
  });
});
