import type { MfaOptions } from '../../http/src';

/** The same options as every adapter; see `MfaOptions`. */
export type MfaModuleOptions = MfaOptions;

export interface MfaModuleExtras {
  /** Register the module globally. @default false */
  isGlobal: boolean;
  /** Path prefix of the MFA endpoints. @default 'mfa' */
  routePrefix: string;
}
