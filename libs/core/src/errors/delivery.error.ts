/**
 * A provider refused or could not be reached. `providerStatus` is the provider's short
 * status or error code (safe to audit); the provider's raw answer is never kept, since
 * it may echo credentials or the full recipient.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    readonly provider: string,
    readonly providerStatus: string,
  ) {
    super(`${provider} did not accept the message (${providerStatus})`);
  }
}
