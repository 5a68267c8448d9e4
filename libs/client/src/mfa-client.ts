import { adminHelpers, type MfaAdmin } from './admin.helpers.js';
import { challengeHelpers, type MfaChallenges } from './challenge.helpers.js';
import { type MfaClientOptions, resolveClientOptions } from './client.options.js';
import { type MfaFetchInit, MfaTransport } from './client.transport.js';
import { countdown } from './countdown.timer.js';
import { enrollmentHelpers, type MfaEnrollments } from './enrollment.helpers.js';
import { PasskeyCeremonies } from './passkey.ceremony.js';
import {
  type MfaBackupCodes,
  type MfaDevices,
  type MfaRecovery,
  type MfaSessions,
  selfServiceHelpers,
} from './self-service.helpers.js';
import { stepUpHandler } from './step-up.handler.js';

export interface MfaClient {
  /**
   * `fetch` with step-up: a `401 MFA_REQUIRED` asks `onChallenge` (the client's, or this
   * request's `init.onChallenge`), verifies the answer and sends the request once more. Every
   * other answer, MFA's or the app's, comes back untouched. Throws `MfaChallengeCancelledError`,
   * `MfaInvalidCodeError`, `MfaLockedError`, `MfaRateLimitedError` or `MfaUnavailableError`
   * when the step-up fails. Bodies are sent again on the retry: use a string, `FormData`, `Blob`
   * or `URLSearchParams` (or a `Request`), not a one-shot stream.
   */
  fetch(input: string | URL | Request, init?: MfaFetchInit): Promise<Response>;
  challenges: MfaChallenges;
  enrollments: MfaEnrollments;
  backupCodes: MfaBackupCodes;
  devices: MfaDevices;
  sessions: MfaSessions;
  recovery: MfaRecovery;
  admin: MfaAdmin;
  /** `countdown` on the client's clock: `mfa.countdown(sent.resendAvailableAt, (s) => render(s))`. */
  countdown(until: string | Date | number, onTick: (secondsLeft: number) => void): () => void;
}

/** The client for one app: `const mfa = createMfaClient({ onChallenge: showMfaDialog })`. */
export function createMfaClient(options: MfaClientOptions = {}): MfaClient {
  const resolved = resolveClientOptions(options);
  const ceremonies = new PasskeyCeremonies(resolved.webauthn);
  // The transport meets challenges through the step-up, which answers them through the transport.
  const transport: MfaTransport = new MfaTransport(resolved, (challenge, context) => meet(challenge, context));
  const { challenges, answer } = challengeHelpers(transport, ceremonies);
  const meet = stepUpHandler(resolved, answer, () => client);
  const client: MfaClient = {
    fetch: (input, init) => transport.fetch(input, init),
    challenges,
    enrollments: enrollmentHelpers(transport, ceremonies),
    ...selfServiceHelpers(transport),
    admin: adminHelpers(transport),
    countdown: (until, onTick) => countdown(until, onTick, resolved.now),
  };
  return client;
}
