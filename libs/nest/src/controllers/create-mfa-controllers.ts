import { Type } from '@nestjs/common';
import { createChallengeController } from './mfa-challenge.controller';
import { createEnrollmentController } from './mfa-enrollment.controller';

/** Controllers are built per module so the route prefix can be configured. */
export function createMfaControllers(routePrefix: string): Type[] {
  const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
  return [createChallengeController(prefix), createEnrollmentController(prefix)];
}
