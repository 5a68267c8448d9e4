import { HttpException, Logger } from '@nestjs/common';
import { ChallengeView, isMfaError, MfaError } from '../../../core/src';

/** An MfaError as HTTP: `{ statusCode, code, message, ...details }`. */
export class MfaHttpException extends HttpException {
  constructor(readonly mfaError: MfaError) {
    super({ statusCode: mfaError.status, code: mfaError.code, message: mfaError.message, ...mfaError.details }, mfaError.status);
  }
}

/** 401 MFA_REQUIRED, with the challenge to answer in the body. */
export class MfaRequiredException extends MfaHttpException {}

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

const logger = new Logger('nestjs-mfa');

/**
 * The single translation from core refusals to HTTP, used by the guard and the
 * controllers. Anything that is not a known refusal (a store that is down, a bug)
 * becomes 503 MFA_UNAVAILABLE: MFA fails closed and never answers 500 or lets through.
 */
export function toMfaHttpException(err: unknown, res?: HeaderTarget): HttpException {
  if (err instanceof HttpException) return err;
  let mfaError: MfaError;
  if (isMfaError(err)) {
    mfaError = err;
  } else {
    logger.error(`MFA failed closed: ${err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error'}`);
    mfaError = new MfaError('MFA_UNAVAILABLE');
  }
  if (res) setMfaHeaders(res, mfaError);
  return mfaError.code === 'MFA_REQUIRED' ? new MfaRequiredException(mfaError) : new MfaHttpException(mfaError);
}

function setMfaHeaders(res: HeaderTarget, err: MfaError): void {
  if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
  if (err.code === 'MFA_REQUIRED') {
    // In the spirit of RFC 9470 (OAuth step-up): say what is missing and how fresh it must be.
    const challenge = err.details.challenge as ChallengeView;
    const maxAge = challenge.requirement.kind !== 'none' ? challenge.requirement.maxAge : undefined;
    const parts = ['MFA realm="mfa"', 'error="insufficient_user_authentication"', `challenge="${challenge.id}"`];
    if (maxAge !== undefined) parts.push(`max_age=${maxAge}`);
    res.setHeader('WWW-Authenticate', parts.join(', '));
  }
  res.setHeader('Cache-Control', 'no-store');
}
