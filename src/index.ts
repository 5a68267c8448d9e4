/** `nestjs-mfa`: the NestJS module over the framework-free core. */
export * from '../libs/nest/src';
export * from '../libs/core/src';
// Kept here while hosts move to `nestjs-mfa/delivery`; nodemailer still loads only when SMTP is used.
export * from '../libs/delivery/src';
