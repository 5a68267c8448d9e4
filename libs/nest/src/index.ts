/** The NestJS adapter. Metadata keys and the options token stay inside (mfa.internal-tokens.ts, decorators/mfa-metadata.ts). */

// Module
export { MfaModule } from './mfa.module';
export type { MfaModuleOptions, MfaModuleExtras } from './mfa-module-options';

// Guard and decorators
export { MfaGuard } from './mfa.guard';
export { RequireMfa } from './decorators/require-mfa.decorator';
export { StepUp } from './decorators/step-up.decorator';
export type { StepUpOptions } from './decorators/step-up.decorator';
export { SkipMfa } from './decorators/skip-mfa.decorator';
export { MfaService, MfaOperation, MfaSensitivity } from './decorators/mfa-service.decorator';

// Errors
export { MfaHttpException, MfaRequiredException } from './errors/mfa-http.exception';

// Subject resolvers the guard defaults to (they live in libs/http)
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject } from '../../http/src';
export type { ResolveSubject, MfaRequest } from '../../http/src';
