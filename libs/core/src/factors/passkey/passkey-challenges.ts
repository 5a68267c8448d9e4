import { randomUUID } from 'node:crypto';
import type { ResolvedMfaContext } from '../../options/mfa-context';
import type { OtpCodeRecord } from '../../ports/mfa-store.port';

type Deps = Pick<ResolvedMfaContext, 'store' | 'keyRing'>;

/** What a WebAuthn challenge answers: one pending enrollment, or one MFA challenge (and so its grant). */
export type PasskeyPurpose = { enroll: string } | { challenge: string };

export const purposeOf = (p: PasskeyPurpose): string =>
  'enroll' in p ? `webauthn|enroll:${p.enroll}` : `webauthn|challenge:${p.challenge}`;

/**
 * WebAuthn challenges live where SMS and email codes do (channel `webauthn`): only a keyed
 * digest bound to user and purpose is stored, a new one replaces the last for that
 * purpose, and spending is the same conditional write. The library generates the random
 * 32 bytes; this binds them.
 */
export class PasskeyChallenges {
  constructor(private readonly deps: Deps) {}

  async issue(userId: string, purpose: PasskeyPurpose, challenge: string, now: number, ttlMs: number): Promise<number> {
    const record: OtpCodeRecord = {
      id: randomUUID(),
      userId,
      channel: 'webauthn',
      enrollmentId: 'enroll' in purpose ? purpose.enroll : '',
      purpose: purposeOf(purpose),
      codeDigest: '',
      createdAt: now,
      expiresAt: now + ttlMs,
    };
    record.codeDigest = this.deps.keyRing.digest(material(record, challenge));
    await this.deps.store.replaceOtpCode(record, now);
    return record.expiresAt;
  }

  /** The live, unspent challenge issued for this purpose, whatever it holds. */
  live(userId: string, purpose: PasskeyPurpose, now: number): Promise<OtpCodeRecord | null> {
    return this.deps.store.findLiveOtpCode(userId, purposeOf(purpose), 'webauthn', now);
  }

  /** The live, unspent challenge for this purpose if `challenge` is it; anything else (spent, expired, foreign) is null. */
  async match(userId: string, purpose: PasskeyPurpose, challenge: string, now: number): Promise<OtpCodeRecord | null> {
    const live = await this.live(userId, purpose, now);
    return live && this.deps.keyRing.digestMatches(live.codeDigest, material(live, challenge)) ? live : null;
  }
}

function material(record: Pick<OtpCodeRecord, 'id' | 'userId' | 'purpose'>, challenge: string): string {
  return ['webauthn', record.id, record.userId, record.purpose, challenge].join('|');
}
