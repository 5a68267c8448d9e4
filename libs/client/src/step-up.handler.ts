import { MfaChallengeCancelledError, type MfaClientError, MfaInvalidCodeError } from './client.errors.js';
import type { ChallengeAnswer, ResolvedClientOptions } from './client.options.js';
import type { MeetChallenge } from './client.transport.js';
import type { ChallengeView } from './client.types.js';
import type { MfaClient } from './mfa-client.js';

/** Sends one answer to a challenge (the code, or the passkey prompt's assertion) and verifies it. */
export type AnswerChallenge = (
  challenge: ChallengeView,
  answer: ChallengeAnswer,
  signal?: AbortSignal,
) => Promise<unknown>;

/**
 * How the client meets a `401 MFA_REQUIRED`: asks the app's `onChallenge`, verifies the
 * answer, and re-asks after a wrong code only up to `maxPrompts`. Requests that meet the same
 * challenge at once (a page loading three guarded resources) share one prompt, except for a
 * single-use step (`maxAge: 0`), whose grant one request spends: each such request needs its own.
 */
export function stepUpHandler(
  options: ResolvedClientOptions,
  answer: AnswerChallenge,
  client: () => MfaClient,
): MeetChallenge {
  const inFlight = new Map<string, Promise<void>>();

  const prompt: MeetChallenge = async (challenge, { onChallenge, signal }) => {
    let error: MfaClientError | undefined;
    for (let attempt = 1; ; attempt++) {
      const reply = await onChallenge(challenge, { client: client(), signal, attempt, error });
      if (!reply) throw new MfaChallengeCancelledError(challenge);
      try {
        await answer(challenge, reply, signal);
        return;
      } catch (err) {
        if (!(err instanceof MfaInvalidCodeError) || attempt >= options.maxPrompts) throw err;
        error = err;
      }
    }
  };

  return (challenge, context) => {
    const shared = inFlight.get(challenge.id);
    if (shared) return shared;
    const meeting = prompt(challenge, context).finally(() => inFlight.delete(challenge.id));
    if (challenge.requirement.steps[0]?.maxAge !== 0) inFlight.set(challenge.id, meeting);
    return meeting;
  };
}
