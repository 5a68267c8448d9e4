import type { CanActivate, Type } from '@nestjs/common';
import type { MfaOptions } from '../../setup/src';

/** The same options as every adapter; see `MfaOptions`. */
export type MfaModuleOptions = MfaOptions;

export interface MfaModuleExtras {
  /** Register the module globally. @default false */
  isGlobal: boolean;
  /** Path prefix of the MFA endpoints. @default 'mfa' */
  routePrefix: string;
  /**
   * Guards MFA's own endpoints run first, so they authenticate the way your routes do:
   * `[AuthGuard('jwt')]` for a token app. Session apps need none (passport.session()
   * already set `req.user`). Provider delivery reports never run them. @default []
   */
  authGuards: (Type<CanActivate> | CanActivate)[];
}
