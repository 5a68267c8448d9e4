import { CanActivate, Type, UseGuards } from '@nestjs/common';
import { createMfaController } from './mfa.controller';
import { createAdminController } from './mfa-admin.controller';
import { createDeliveryController } from './mfa-delivery.controller';
import { createExemptionController } from './mfa-exemption.controller';

/**
 * Controllers are built per module so the route prefix can be configured. The host's
 * `authGuards` run on MFA's user-facing endpoints, so a token app authenticates them the
 * way it authenticates its own routes.
 */
export function createMfaControllers(
  routePrefix: string,
  authGuards: (Type<CanActivate> | CanActivate)[] = [],
): Type[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  const userFacing = [createMfaController(prefix), createAdminController(prefix), createExemptionController(prefix)];
  if (authGuards.length) for (const controller of userFacing) UseGuards(...authGuards)(controller);
  return [...userFacing, createDeliveryController(prefix)];
}
