/** Not exported from the package barrel: hosts reach these through the module. */
export const MFA_OPTIONS = Symbol('nestjs-mfa:options');
export const MFA_HTTP_API = Symbol('nestjs-mfa:http-api');
