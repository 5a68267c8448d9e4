import { SetMetadata } from '@nestjs/common';
import { buildRequirement, FactorType } from '../../../core/src';
import { MFA_REQUIREMENT_KEY } from './mfa-metadata';

export interface StepUpOptions {
  /** The last verification must be at most this many seconds old. */
  maxAge: number;
  /** Acceptable factors. @default any enrolled factor */
  factors?: FactorType[];
}

/** Demands a fresh verification inside the same session, without a new login. */
export const StepUp = (options: StepUpOptions) => SetMetadata(MFA_REQUIREMENT_KEY, buildRequirement(options));
