import { SetMetadata } from '@nestjs/common';
import { buildRequirement, RequirementInput } from '../../../core/src';
import { MFA_REQUIREMENT_KEY } from './mfa-metadata';

/** The route (or every route of the class) needs a verified second factor in this session. */
export const RequireMfa = (requirement: RequirementInput = {}) =>
  SetMetadata(MFA_REQUIREMENT_KEY, buildRequirement(requirement));
