import { HttpException, Logger } from '@nestjs/common';
import { MfaErrorResponse, toMfaErrorResponse } from '../../../http/src';

/** A refusal as a Nest HttpException: `{ statusCode, code, message, ...details }`. */
export class MfaHttpException extends HttpException {
  constructor(readonly mfaResponse: MfaErrorResponse) {
    super(mfaResponse.body, mfaResponse.status);
  }
}

/** 401 MFA_REQUIRED, with the challenge to answer in the body. */
export class MfaRequiredException extends MfaHttpException {}

interface HeaderTarget {
  setHeader(name: string, value: string): unknown;
}

const logger = new Logger('nestjs-mfa');

/** The shared contract (`toMfaErrorResponse`) as a Nest exception, with its headers set on `res`. */
export function toMfaHttpException(err: unknown, res?: HeaderTarget): HttpException {
  if (err instanceof HttpException) return err;
  const response = toMfaErrorResponse(err, (message) => logger.error(message));
  if (res) for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  return response.body.code === 'MFA_REQUIRED' ? new MfaRequiredException(response) : new MfaHttpException(response);
}
