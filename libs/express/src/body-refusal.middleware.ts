import type { ErrorRequestHandler } from 'express';
import { bodyParserRefusal } from '../../http/src';
import { sendMfaError } from './send-mfa-error';

/**
 * The router's own parsers refuse a body (413, 415, invalid JSON, bad gzip) with MFA's
 * envelope, as the Nest adapter does; any other error stays with the host's error handler.
 * Nothing is logged: like every other 4xx refusal, a malformed body is the client's business.
 */
export const answerBodyRefusals: ErrorRequestHandler = (err, _req, res, next) => {
  const refusal = bodyParserRefusal(err);
  if (refusal) sendMfaError(res, refusal);
  else next(err);
};
