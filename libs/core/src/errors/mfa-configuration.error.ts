/** A boot-time mistake in the options. The message says how to fix it. */
export class MfaConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = this.constructor.name;
  }
}
