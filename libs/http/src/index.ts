/** Framework-free HTTP contract shared by the Nest and Express adapters. */

// The contract: routes, the API both adapters call, the error mapping
export { MfaHttpApi } from './mfa-http-api';
export { MFA_ROUTES } from './mfa-routes';
export type { MfaRoute } from './mfa-routes';
export { toMfaErrorResponse } from './mfa-error-response';
export type { MfaErrorResponse } from './mfa-error-response';
export { bodyParserRefusal, bodyParserRefusalLabel } from './body-parser-refusal';
export type { MfaResponse } from './cookies';

// The contract as an OpenAPI 3.1 document, for a host's Swagger UI or client generators
export { buildMfaOpenApi, mergeMfaOpenApi } from './openapi/openapi-document';
export type { OpenApiDocument, MfaOpenApiOptions, HostOpenApiDocument } from './openapi/openapi-document';
export type { JsonSchema } from './openapi/dto-schema';

// Options (the HTTP half)
export type { MfaHttpOptions } from './mfa-options';

// Subjects and the host's sessions
export { defaultResolveSubject, passportSessionSubject, jwtSidSubject } from './subject-resolvers';
export type { ResolveSubject, MfaRequest } from './subject-resolvers';
export { regenerateExpressSession } from './session-renewal';
export type { RotateSession, RenewedSession, SessionRenewalInfo } from './session-renewal';
export { expressSessionRevoker } from './express-session.revoker';
export type { ExpressSessionRevokerOptions, ListableSessionStore } from './express-session.revoker';
export type { AppSessionRevoker, OtherSessionsOffer } from './other-sessions.offer';
