/** The metadata keys the decorators write and the guard reads. */
export const MFA_REQUIREMENT_KEY = 'mfa:requirement';
export const MFA_SERVICE_KEY = 'mfa:service';
export const MFA_OPERATION_KEY = 'mfa:operation';
export const MFA_SENSITIVITY_KEY = 'mfa:sensitivity';
