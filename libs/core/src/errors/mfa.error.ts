import { MFA_ERROR_CODES, MfaErrorCode } from './mfa-error-code';

/**
 * A refusal the client is meant to see. Adapters translate it to HTTP with the status
 * from the registry. `details` must never carry secrets: it is sent to the client.
 */
export class MfaError extends Error {
  override readonly name = 'MfaError';
  readonly status: number;

  constructor(
    readonly code: MfaErrorCode,
    readonly details: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(MFA_ERROR_CODES[code].message);
    this.status = MFA_ERROR_CODES[code].status;
  }
}

export function isMfaError(value: unknown): value is MfaError {
  return value instanceof MfaError;
}
