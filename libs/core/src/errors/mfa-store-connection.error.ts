import { MfaConfigurationError } from './mfa-configuration.error';

/**
 * MFA's own store could not be opened at boot. A configuration error in kind (the fix is an
 * option or a running database), so code that catches boot errors catches this one too.
 * `store` names the database without credentials; `reason` is the driver's own message.
 */
export class MfaStoreConnectionError extends MfaConfigurationError {
  constructor(
    message: string,
    readonly store: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message);
    if (options && 'cause' in options)
      Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
  }
}
