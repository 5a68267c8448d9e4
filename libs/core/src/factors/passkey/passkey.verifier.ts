import { AuditTrail } from '../../audit/audit-trail';
import type { SecurityNotices } from '../../lockout/security-notices';
import type { ResolvedMfaContext } from '../../options/mfa-context';
import type { EnrollmentRecord } from '../../ports/mfa-store.port';
import type { MfaSubject } from '../../subject';
import { assuranceOf } from '../assurance';
import type { AnsweredChallenge, SpendAndRecord } from '../factor.verifier';
import { auditingKeyUnavailable } from '../../errors/encryption-key-unavailable.error';
import { PasskeyChallenges } from './passkey-challenges';
import { openPasskey, PasskeyCredential } from './passkey-credential';
import { AuthenticationResponseJSON, challengeOf } from './webauthn.ceremony';

type Deps = Pick<ResolvedMfaContext, 'store' | 'keyRing' | 'webauthn'>;

/** Which of the user's passkeys may answer a challenge (a step asking for AAL3 takes device-bound ones only). */
export type PasskeyFilter = (enrollment: EnrollmentRecord) => boolean;

/**
 * Passkey assertions at a challenge. Every way one can be wrong (challenge, origin, RP ID
 * hash, user presence or verification, signature, a credential not among this user's)
 * ends in the same `false`, so the caller answers INVALID_CODE and counts it like any
 * failed factor; the audit trail alone says which it was.
 */
export class PasskeyVerifier {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly notices: SecurityNotices,
    private readonly challenges: PasskeyChallenges,
  ) {}

  async verify(
    subject: MfaSubject,
    answer: unknown,
    challengeId: string,
    now: number,
    commit: SpendAndRecord,
    eligible: PasskeyFilter,
    enrollments: readonly EnrollmentRecord[],
  ): Promise<boolean> {
    const ceremony = this.deps.webauthn;
    if (!ceremony || !isAssertion(answer)) return false;
    const challenge = challengeOf(answer);
    const live = challenge && (await this.challenges.match(subject.userId, { challenge: challengeId }, challenge, now));
    if (!live) return this.refused(subject, 'challenge not issued for this challenge, spent or expired');
    const found = this.credentialFor(subject, answer.id, eligible, enrollments);
    if (!found) return this.refused(subject, 'credential not among this user’s passkeys');
    const { enrollment, credential } = found;
    const verified = await ceremony.verifyAssertion(answer, challenge!, credential);
    if (!verified) return this.refused(subject, 'assertion failed verification', enrollment.id);
    const asked = { challengeId, challenge: challenge!, now };
    if (counterDidNotRise(enrollment.lastStep, verified.signCount)) {
      await this.staleCounter(subject, enrollment, verified.signCount, asked);
      return false;
    }
    const assurance = assuranceOf('webauthn', {
      backupEligible: enrollment.passkey?.backupEligible ?? true,
      userVerified: verified.userVerified,
    });
    const outcome = await commit(
      { kind: 'passkey', challengeCodeId: live.id, enrollmentId: enrollment.id, signCount: verified.signCount },
      assurance,
    );
    if (outcome === 'already_spent') await this.staleCounter(subject, enrollment, verified.signCount, asked);
    return outcome === 'committed';
  }

  /** Throws (503) if the WebAuthn challenge issued, or a passkey that may answer, is under a key this instance lacks. */
  async requireKeys(subject: MfaSubject, challenge: AnsweredChallenge, now: number, eligible: PasskeyFilter) {
    const { keyRing } = this.deps;
    const live = await this.challenges.live(subject.userId, { challenge: challenge.id }, now);
    if (live) this.keyed(subject, undefined, () => keyRing.requireDigestKey(live.codeDigest));
    for (const e of challenge.enrollments)
      if (e.type === 'webauthn' && e.status === 'active' && eligible(e))
        this.keyed(subject, e.id, () => keyRing.requireKeyFor(e.sealedSecret));
  }

  private keyed(subject: MfaSubject, enrollmentId: string | undefined, check: () => void): void {
    auditingKeyUnavailable(this.audit, subject, 'webauthn', enrollmentId, check);
  }

  private credentialFor(
    subject: MfaSubject,
    credentialId: string,
    eligible: PasskeyFilter,
    enrollments: readonly EnrollmentRecord[],
  ): { enrollment: EnrollmentRecord; credential: PasskeyCredential } | null {
    for (const enrollment of enrollments) {
      if (enrollment.type !== 'webauthn' || enrollment.status !== 'active' || !eligible(enrollment)) continue;
      const credential = openPasskey(this.deps.keyRing, enrollment);
      if (!credential) {
        // Moved from another user's row, tampered, or sealed under a key no longer held.
        this.audit.record(subject, {
          type: 'secret.unreadable',
          severity: 'critical',
          channel: 'webauthn',
          outcome: 'refused',
          enrollmentId: enrollment.id,
        });
        continue;
      }
      if (credential.id === credentialId) return { enrollment, credential };
    }
    return null;
  }

  /**
   * The counter did not rise (seen before the write, or the conditional write refused). With
   * this challenge still unspent, another signature moved the counter to or past this one:
   * two authenticators hold the key, a clone. With it spent, this very assertion was already
   * used (sent twice at once): a replay, refused like any other, and no alarm.
   */
  private async staleCounter(
    subject: MfaSubject,
    enrollment: EnrollmentRecord,
    signCount: number,
    asked: { challengeId: string; challenge: string; now: number },
  ): Promise<void> {
    const { challengeId, challenge, now } = asked;
    const unspent = await this.challenges.match(subject.userId, { challenge: challengeId }, challenge, now);
    const current = unspent && (await this.deps.store.findEnrollment(subject.userId, enrollment.id));
    if (current && counterDidNotRise(current.lastStep, signCount))
      await this.cloned(subject, enrollment, current.lastStep ?? 0, signCount);
    else this.refused(subject, 'challenge spent concurrently', enrollment.id);
  }

  private async cloned(subject: MfaSubject, enrollment: EnrollmentRecord, stored: number, seen: number): Promise<void> {
    this.audit.record(subject, {
      type: 'webauthn.cloned_authenticator',
      severity: 'high',
      channel: 'webauthn',
      outcome: 'refused',
      enrollmentId: enrollment.id,
      reason: `signature counter ${seen} after ${stored}`,
    });
    await this.notices.cloned(subject, enrollment.id);
  }

  private refused(subject: MfaSubject, reason: string, enrollmentId?: string): false {
    this.audit.record(subject, {
      type: 'webauthn.assertion_refused',
      severity: 'warning',
      channel: 'webauthn',
      outcome: 'refused',
      enrollmentId,
      reason,
    });
    return false;
  }
}

/** WebAuthn §6.1.1: a counter that stays 0 means the authenticator keeps none; otherwise it must rise. */
function counterDidNotRise(stored: number | null, seen: number): boolean {
  const last = stored ?? 0;
  return (seen > 0 || last > 0) && seen <= last;
}

function isAssertion(answer: unknown): answer is AuthenticationResponseJSON {
  const a = answer as AuthenticationResponseJSON | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    typeof a.id === 'string' &&
    a.id.length > 0 &&
    a.id.length <= 1366 &&
    typeof a.response === 'object' &&
    a.response !== null &&
    typeof a.response.clientDataJSON === 'string' &&
    typeof a.response.authenticatorData === 'string' &&
    typeof a.response.signature === 'string'
  );
}
