import { applyDecorators, SetMetadata } from '@nestjs/common';
import { buildRequirement, FactorType, MfaConfigurationError } from '../../../core/src';
import { MFA_OPERATION_KEY, MFA_REQUIREMENT_KEY } from './mfa-metadata';

export interface StepUpOptions {
  /** The last verification must be at most this many seconds old; 0 = a single-use grant for `operation`. */
  maxAge: number;
  /** Acceptable factors. @default any enabled factor */
  factors?: FactorType[];
  /** The operation this route performs; required with `maxAge: 0`. */
  operation?: string;
  /** Only a passkey (WebAuthn) satisfies it, e.g. `@StepUp({ maxAge: 300, phishingResistant: true })`. */
  phishingResistant?: boolean;
  /** The lowest NIST 800-63B AAL the verification must reach. */
  minAal?: 2 | 3;
}

/** Demands a fresh verification inside the same session, without a new login. */
export const StepUp = ({ maxAge, factors, operation, phishingResistant, minAal }: StepUpOptions) => {
  if (maxAge === 0 && !operation) {
    throw new MfaConfigurationError(
      '@StepUp({ maxAge: 0 }) is a single-use grant and needs an operation: @StepUp({ maxAge: 0, operation: "transfer" }).',
    );
  }
  const requirement = SetMetadata(
    MFA_REQUIREMENT_KEY,
    buildRequirement({ maxAge, factors, phishingResistant, minAal }),
  );
  return operation ? applyDecorators(requirement, SetMetadata(MFA_OPERATION_KEY, operation)) : requirement;
};
