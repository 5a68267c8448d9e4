/** The one metadata key the decorators write and the guard reads. */
export const MFA_REQUIREMENT_KEY = 'mfa:requirement';
