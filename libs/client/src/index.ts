/**
 * The browser client, framework-free: no Node built-ins and no runtime import from the other
 * libs (only their types), so it runs in any browser and in Node 18+. The package surface is
 * `src/client.ts`.
 */
export { createMfaClient } from './mfa-client.js';
export type { MfaClient } from './mfa-client.js';
export {
  MfaClientError,
  MfaInvalidCodeError,
  MfaLockedError,
  MfaRateLimitedError,
  MfaUnavailableError,
  MfaChallengeCancelledError,
} from './client.errors.js';
export type { MfaClientErrorCode, MfaErrorBody } from './client.errors.js';
export { countdown } from './countdown.timer.js';
export { CLIENT_ROUTES } from './client.routes.js';
export type { RouteParams } from './client.routes.js';
export type {
  MfaClientOptions,
  ChallengeAnswer,
  ChallengeHelpers,
  OnChallenge,
  WebAuthnCeremonies,
  FetchLike,
  ClientHeaders,
} from './client.options.js';
export type { MfaFetchInit } from './client.transport.js';
export type { MfaChallenges } from './challenge.helpers.js';
export type { MfaEnrollments } from './enrollment.helpers.js';
export type { MfaBackupCodes, MfaDevices, MfaSessions, MfaRecovery } from './self-service.helpers.js';
export type { MfaAdmin, MfaPolicyAdmin, MfaExemptionsAdmin } from './admin.helpers.js';
export type * from './client.types.js';
