/** `nestjs-mfa/core`: the framework-free engine and ports, for custom adapters. */
export * from '../libs/core/src';
// Kept here while hosts move to `nestjs-mfa/delivery`; nodemailer still loads only when SMTP is used.
export * from '../libs/delivery/src';
