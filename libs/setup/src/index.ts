/** The composition root: options in, a ready engine out, with the store, counters, sinks and senders they name. */
export { createMfaEngine } from './create-mfa-engine';
export type { MfaOptions, MfaSetupOptions, AuditTarget } from './mfa-options';
export type { DatabaseConnectRetry } from './connect-with-retry';
