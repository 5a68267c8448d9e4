import { sessionRefOf } from '../../audit/audit-trail';
import type { ChallengeService } from '../../challenges/challenge.service';
import { counterUserKey } from '../../counters/counter-user-key';
import { MfaError } from '../../errors/mfa.error';
import type { ResolvedMfaContext } from '../../options/mfa-context';
import { meetsAssurance, RequirementStep } from '../../policy/requirement';
import type { EnrollmentRecord } from '../../ports/mfa-store.port';
import type { MfaSubject } from '../../subject';
import { assuranceOf } from '../assurance';
import { PasskeyChallenges } from './passkey-challenges';
import { openPasskey } from './passkey-credential';
import type { PasskeyFilter } from './passkey.verifier';
import type { PublicKeyCredentialRequestOptionsJSON } from './webauthn.ceremony';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'keyRing' | 'webauthn' | 'counters'>;

/** Options requests per user in OPTIONS_WINDOW_MS: each writes a row, so a session cannot grow the table at will. */
const OPTIONS_PER_WINDOW = 30;
const OPTIONS_WINDOW_MS = 10 * 60_000;

/** The options for `navigator.credentials.get()` that answer one MFA challenge. */
export interface PasskeyRequest {
  options: PublicKeyCredentialRequestOptionsJSON;
  expiresAt: string;
}

/** The passkeys that can meet a step: all of them, or only device-bound ones where it asks for AAL3. */
export function passkeysFor(step: RequirementStep): PasskeyFilter {
  return (enrollment: EnrollmentRecord) =>
    meetsAssurance(
      step,
      'webauthn',
      assuranceOf('webauthn', { backupEligible: enrollment.passkey?.backupEligible ?? true, userVerified: true }).aal,
    );
}

/**
 * Issues the WebAuthn challenge for one pending MFA challenge of this session: random,
 * bound to that challenge (and so to its purpose, its operation's grant included), living
 * `webauthn.timeout`, replaced by the next request for it and spent by the assertion.
 */
export class PasskeyRequests {
  constructor(
    private readonly deps: Deps,
    private readonly challenges: ChallengeService,
    private readonly passkeyChallenges: PasskeyChallenges,
  ) {}

  async optionsFor(subject: MfaSubject, challengeId: string): Promise<PasskeyRequest> {
    const ceremony = this.deps.webauthn;
    if (!ceremony) throw new MfaError('FACTOR_UNAVAILABLE', { method: 'webauthn' });
    const now = this.deps.clock.now();
    const usable = await this.challenges.findUsable(subject, sessionRefOf(subject.sessionId), challengeId, 'webauthn');
    if (!usable) throw new MfaError('CHALLENGE_NOT_FOUND');
    const found = usable.challenge;
    const key = `webauthn:${counterUserKey(subject.userId)}:options`;
    const hit = await this.deps.counters.hit(key, OPTIONS_PER_WINDOW, OPTIONS_WINDOW_MS, now);
    if (!hit.allowed) throw new MfaError('RATE_LIMITED', {}, Math.max(1, Math.ceil(hit.retryAfterMs / 1000)));
    const eligible = passkeysFor(found.requirement.steps[0]);
    const allow = usable.enrollments
      .filter((e) => e.type === 'webauthn' && e.status === 'active' && eligible(e))
      .map((e) => openPasskey(this.deps.keyRing, e))
      .filter((c) => c !== null)
      .map((c) => ({ id: c.id, transports: c.transports }));
    if (allow.length === 0) throw new MfaError('FACTOR_UNAVAILABLE', { method: 'webauthn' });
    const options = await ceremony.requestOptions(allow);
    const expiresAt = await this.passkeyChallenges.issue(
      subject.userId,
      { challenge: found.id },
      options.challenge,
      now,
      Math.min(ceremony.config.timeoutMs, found.expiresAt - now),
    );
    return { options, expiresAt: new Date(expiresAt).toISOString() };
  }
}
