/** `nestjs-mfa/express`: the same MFA for plain Express 4/5 apps, without Nest. */
export * from '../libs/express/src';
export type { ResolveSubject, MfaRequest } from '../libs/http/src';
export type { MfaOptions } from '../libs/setup/src';
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject } from '../libs/http/src';
export { expressSessionRevoker, regenerateExpressSession } from '../libs/http/src';
export type { AppSessionRevoker, ExpressSessionRevokerOptions, OtherSessionsOffer, RotateSession, RenewedSession, SessionRenewalInfo } from '../libs/http/src';
export { MfaEngine, MfaError, ManualClock, MFA_ERROR_CODES } from '../libs/core/src';
export type { MfaSubject, RequirementInput } from '../libs/core/src';
