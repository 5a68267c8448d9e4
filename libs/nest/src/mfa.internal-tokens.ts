/** Not exported from the package barrel: hosts reach these through the module. */
export const MFA_SUBJECT_RESOLVER = Symbol('nestjs-mfa:subject-resolver');
export const MFA_OPTIONS = Symbol('nestjs-mfa:options');
