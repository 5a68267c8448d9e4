import type { ChallengeView, MfaErrorCode } from '../../core/src';

/**
 * The server's codes (`MFA_ERROR_CODES`), the client's own `MFA_CHALLENGE_CANCELLED`, or
 * `HTTP_<status>` for an answer without a code (a proxy's 502 page).
 */
export type MfaClientErrorCode = MfaErrorCode | 'MFA_CHALLENGE_CANCELLED' | `HTTP_${number}`;

/** The error body every MFA refusal carries: `{ statusCode, code, message, ...details }`. */
export interface MfaErrorBody {
  statusCode?: number;
  code?: string;
  message?: string;
  [detail: string]: unknown;
}

/**
 * A refusal from an MFA route, or a step-up that did not happen. Branch on `code` (or the
 * subclass), never on `message`. `name` is written out because minifiers rename classes.
 */
export class MfaClientError extends Error {
  override name = 'MfaClientError';

  constructor(
    readonly code: MfaClientErrorCode,
    /** The HTTP status; 0 when no answer was involved (a cancelled prompt). */
    readonly status: number,
    /** The JSON body as sent, with its details (`errors`, `reason`, `enroll`, `method`, …); `{}` if it was not JSON. */
    readonly body: MfaErrorBody,
    /** From `Retry-After`, on 429 and 503 answers. */
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(typeof body.message === 'string' ? body.message : `MFA request failed with ${code}`, options);
  }

  /** The challenge of a `401 MFA_REQUIRED` nobody answered (no `onChallenge`), or the one the user declined. */
  get challenge(): ChallengeView | undefined {
    const challenge = this.body.challenge;
    return challenge && typeof challenge === 'object' ? (challenge as ChallengeView) : undefined;
  }
}

/** `401 INVALID_CODE`: wrong, expired or already used; deliberately no more precise than that. */
export class MfaInvalidCodeError extends MfaClientError {
  override name = 'MfaInvalidCodeError';
}

/** `429 MFA_LOCKED`: too many failures on this channel; a right code is refused too until `retryAfterSeconds`. */
export class MfaLockedError extends MfaClientError {
  override name = 'MfaLockedError';
}

/** Any other 429 (`RESEND_TOO_SOON`, `DELIVERY_LIMIT_REACHED`, `RATE_LIMITED`): wait `retryAfterSeconds`. */
export class MfaRateLimitedError extends MfaClientError {
  override name = 'MfaRateLimitedError';
}

/** A 503 (`MFA_UNAVAILABLE`, `DELIVERY_FAILED`, `SESSION_ROTATION_FAILED`): MFA failed closed; try again later. */
export class MfaUnavailableError extends MfaClientError {
  override name = 'MfaUnavailableError';
}

/**
 * The user declined: `onChallenge` answered null, or the browser's passkey prompt was
 * dismissed (`NotAllowedError`/`AbortError`, kept as `cause`). The original request was not retried.
 */
export class MfaChallengeCancelledError extends MfaClientError {
  override name = 'MfaChallengeCancelledError';

  /** `challenge`: the one declined; absent when it was a passkey registration. */
  constructor(challenge?: ChallengeView, options?: { cause?: unknown }) {
    super(
      'MFA_CHALLENGE_CANCELLED',
      0,
      { message: 'The multi-factor prompt was cancelled.', challenge },
      undefined,
      options,
    );
  }
}

/** The typed error for a refused answer; reads the body once. */
export async function errorFromResponse(response: Response): Promise<MfaClientError> {
  const json = await readJson(response);
  const body: MfaErrorBody = json && typeof json === 'object' ? (json as MfaErrorBody) : {};
  const code = (typeof body.code === 'string' ? body.code : `HTTP_${response.status}`) as MfaClientErrorCode;
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  const args = [code, response.status, body, retryAfter] as const;
  if (code === 'INVALID_CODE') return new MfaInvalidCodeError(...args);
  if (code === 'MFA_LOCKED') return new MfaLockedError(...args);
  if (response.status === 429) return new MfaRateLimitedError(...args);
  if (response.status === 503) return new MfaUnavailableError(...args);
  return new MfaClientError(...args);
}

/** The parsed JSON body, or null for an empty or non-JSON one. */
export async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** `Retry-After` in seconds or as an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
