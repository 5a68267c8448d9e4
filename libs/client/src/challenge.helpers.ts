import type { MfaTransport } from './client.transport.js';
import type {
  ChallengeView,
  CodeSentResult,
  PasskeyChallengeOptions,
  VerifyChallengeBody,
  VerifyChallengeResult,
} from './client.types.js';
import type { PasskeyCeremonies } from './passkey.ceremony.js';
import type { AnswerChallenge } from './step-up.handler.js';

/** A challenge of this session (the `challenge` of a `401 MFA_REQUIRED`), answered by hand. */
export interface MfaChallenges {
  /** Answers with a code (`totp`, `sms`, `email`, `backup_code`) or a passkey assertion obtained elsewhere. */
  verify(challengeId: string, body: VerifyChallengeBody): Promise<VerifyChallengeResult>;
  /** Sends, or sends again, an SMS or email code; `resendAvailableAt` is when another may be asked for (`countdown`). */
  send(challengeId: string, method: 'sms' | 'email', enrollmentId?: string): Promise<CodeSentResult>;
  /** The options for the browser's passkey prompt (`navigator.credentials.get()`). */
  passkeyOptions(challengeId: string): Promise<PasskeyChallengeOptions>;
  /** The whole passkey answer: options, the browser's prompt, verification. */
  passkey(challengeId: string, rememberDevice?: boolean): Promise<VerifyChallengeResult>;
}

export function challengeHelpers(t: MfaTransport, ceremonies: PasskeyCeremonies) {
  // Challenge routes never ask for a step-up themselves; one inside a step-up must not start another.
  const direct = (signal?: AbortSignal) => ({ stepUp: false, signal });
  const verify = (challengeId: string, body: VerifyChallengeBody, signal?: AbortSignal) =>
    t.call('POST /challenges/:challengeId/verify', { challengeId }, body, direct(signal));
  const passkeyOptions = (challengeId: string, signal?: AbortSignal) =>
    t.call('POST /challenges/:challengeId/webauthn', { challengeId }, undefined, direct(signal));
  const passkey = async (challengeId: string, rememberDevice?: boolean, view?: ChallengeView, signal?: AbortSignal) => {
    const { options } = await passkeyOptions(challengeId, signal);
    const response = await ceremonies.authenticate(options, view);
    return verify(challengeId, { method: 'webauthn', response, ...device(rememberDevice) }, signal);
  };

  const challenges: MfaChallenges = {
    verify: (challengeId, body) => verify(challengeId, body),
    send: (challengeId, method, enrollmentId) =>
      t.call(
        'POST /challenges/:challengeId/send',
        { challengeId },
        { method, ...optional({ enrollmentId }) },
        direct(),
      ),
    passkeyOptions: (challengeId) => passkeyOptions(challengeId),
    passkey: (challengeId, rememberDevice) => passkey(challengeId, rememberDevice),
  };

  /** What the step-up sends for an `onChallenge` answer. */
  const answer: AnswerChallenge = (challenge, reply, signal) => {
    if (reply.method === 'webauthn') {
      if (!reply.response) return passkey(challenge.id, reply.rememberDevice, challenge, signal);
      return verify(
        challenge.id,
        { method: 'webauthn', response: reply.response, ...device(reply.rememberDevice) },
        signal,
      );
    }
    const { method, code, enrollmentId, rememberDevice } = reply;
    return verify(challenge.id, { method, code, ...optional({ enrollmentId }), ...device(rememberDevice) }, signal);
  };

  return { challenges, answer };
}

function device(rememberDevice?: boolean): { rememberDevice?: boolean } {
  return rememberDevice === undefined ? {} : { rememberDevice };
}

function optional(fields: { enrollmentId?: string }): { enrollmentId?: string } {
  return fields.enrollmentId ? fields : {};
}
