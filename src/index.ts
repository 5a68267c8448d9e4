/**
 * `nestjs-mfa`: the NestJS module, its guard and decorators, and the engine it injects.
 * An explicit list: `etc/index.api.md` is the reviewed surface (`npm run api:report`).
 */

// Module, guard, decorators
export {
  MfaModule,
  MfaGuard,
  RequireMfa,
  StepUp,
  SkipMfa,
  MfaService,
  MfaOperation,
  MfaSensitivity,
} from '../libs/nest/src';
export type { MfaModuleOptions, MfaModuleExtras, StepUpOptions } from '../libs/nest/src';

// Errors of the HTTP family as Nest exceptions; the rest is shared with nestjs-mfa/express
export { MfaHttpException, MfaRequiredException } from '../libs/nest/src';
export * from './common';
