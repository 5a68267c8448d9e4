export { createMfa } from './create-mfa';
export type { MfaExpress, MfaExpressOptions } from './create-mfa';
