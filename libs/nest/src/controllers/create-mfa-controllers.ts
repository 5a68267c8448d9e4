import { Type } from '@nestjs/common';
import { createMfaController } from './mfa.controller';
import { createAdminController } from './mfa-admin.controller';

/** Controllers are built per module so the route prefix can be configured. */
export function createMfaControllers(routePrefix: string): Type[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  return [createMfaController(prefix), createAdminController(prefix)];
}
