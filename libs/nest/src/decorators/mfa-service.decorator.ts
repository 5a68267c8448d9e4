import { SetMetadata } from '@nestjs/common';
import { MFA_OPERATION_KEY, MFA_SENSITIVITY_KEY, MFA_SERVICE_KEY } from './mfa-metadata';

/** Maps a controller (or a handler) to a service of the MFA policy. */
export const MfaService = (service: string) => SetMetadata(MFA_SERVICE_KEY, service);

/** Maps a handler to an operation of its service, e.g. `transfer` in `payments`. */
export const MfaOperation = (operation: string) => SetMetadata(MFA_OPERATION_KEY, operation);

/** Labels the asset's sensitivity, for `sensitivity` conditions in the policy. */
export const MfaSensitivity = (...labels: string[]) => SetMetadata(MFA_SENSITIVITY_KEY, labels);
