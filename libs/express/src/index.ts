export { createMfa } from './create-mfa';
export type { MfaExpress, MfaExpressOptions } from './create-mfa';
export type { MfaRouteMapping } from './create-mfa';
