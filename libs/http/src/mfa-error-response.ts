import { ChallengeView, isMfaError, MfaError } from '../../core/src';

/** What either adapter writes for a refusal: the one HTTP contract. */
export interface MfaErrorResponse {
  status: number;
  body: { statusCode: number; code: string; message: string; [detail: string]: unknown };
  headers: Record<string, string>;
}

export type ErrorLogger = (message: string) => void;

const stderrLogger: ErrorLogger = (message) => process.stderr.write(`nestjs-mfa: ${message}\n`);

// A store that is down rarely comes back within a second: ask clients to pause instead of
// hammering it, while keeping the wait short enough for a quick recovery to be felt.
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The single translation from core refusals to HTTP. Anything that is not a known
 * refusal (a store that is down, a bug) becomes 503 MFA_UNAVAILABLE: MFA fails closed
 * and never answers 500 or lets a request through.
 */
export function toMfaErrorResponse(err: unknown, log: ErrorLogger = stderrLogger): MfaErrorResponse {
  let mfaError: MfaError;
  if (isMfaError(err)) {
    mfaError = err;
  } else {
    log(`MFA failed closed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
    mfaError = new MfaError('MFA_UNAVAILABLE');
  }
  return {
    status: mfaError.status,
    body: { statusCode: mfaError.status, code: mfaError.code, message: mfaError.message, ...mfaError.details },
    headers: headersFor(mfaError),
  };
}

function headersFor(err: MfaError): Record<string, string> {
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  const retryAfter =
    err.retryAfterSeconds ?? (err.code === 'MFA_UNAVAILABLE' ? UNAVAILABLE_RETRY_AFTER_SECONDS : undefined);
  if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
  if (err.code === 'MFA_REQUIRED') {
    // In the spirit of RFC 9470 (OAuth step-up): say what is missing and how fresh it must be.
    const challenge = err.details.challenge as ChallengeView;
    const step = challenge.requirement.steps[0];
    const parts = ['MFA realm="mfa"', 'error="insufficient_user_authentication"', `challenge="${challenge.id}"`];
    if (step?.maxAge !== undefined) parts.push(`max_age=${step.maxAge}`);
    // The level in `acr` terms (authenticationContext reports aal1–3); `phr` is OpenID EAP's "phishing-resistant".
    const acr = [...(step?.minAal ? [`aal${step.minAal}`] : []), ...(step?.phishingResistant ? ['phr'] : [])];
    if (acr.length) parts.push(`acr_values="${acr.join(' ')}"`);
    headers['WWW-Authenticate'] = parts.join(', ');
  }
  return headers;
}
