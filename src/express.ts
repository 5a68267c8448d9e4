/**
 * `nestjs-mfa/express`: the same MFA for plain Express 4/5 apps, without Nest.
 * An explicit list: `etc/express.api.md` is the reviewed surface.
 */

export { createMfa } from '../libs/express/src';
export type { MfaExpress, MfaExpressOptions, MfaRouteMapping } from '../libs/express/src';

export * from './common';
