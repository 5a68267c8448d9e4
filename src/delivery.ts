/** `nestjs-mfa/delivery`: SMS over HTTP (with provider presets), SMTP email (needs nodemailer), the dev outbox, syslog and webhook audit sinks. */
export * from '../libs/delivery/src';
