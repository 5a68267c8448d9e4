import { SetMetadata } from '@nestjs/common';
import { NO_REQUIREMENT } from '../../../core/src';
import { MFA_REQUIREMENT_KEY } from './mfa-metadata';

/** Opts a route out of a class-level requirement. A handler setting beats a class setting. */
export const SkipMfa = () => SetMetadata(MFA_REQUIREMENT_KEY, NO_REQUIREMENT);
