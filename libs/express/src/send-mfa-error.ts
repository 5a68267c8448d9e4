import type { Response } from 'express';
import { toMfaErrorResponse } from '../../http/src';

/** Writes a refusal exactly as the Nest adapter does: same status, headers and body. */
export function sendMfaError(res: Response, err: unknown): void {
  const { status, body, headers } = toMfaErrorResponse(err);
  res.status(status).set(headers).json(body);
}
