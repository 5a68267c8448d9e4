/** Transports behind the core's ports: SMS over HTTP, SMTP email, the dev outbox, SIEM audit sinks. */

// SMS and email senders
export { HttpSmsSender } from './http-sms.sender';
export type { HttpSmsTemplate, HttpSmsSenderOptions } from './http-sms.sender';
export { smsPreset, twilioSignature } from './sms-presets';
export type {
  SmsPresetOptions,
  TwilioOptions,
  VonageOptions,
  InfobipOptions,
  MessageBirdOptions,
  PlivoOptions,
} from './sms-presets';
export { SmtpEmailSender } from './smtp-email.sender';
export type { SmtpEmailSenderOptions, SmtpTransportOptions } from './smtp-email.sender';

// Development outbox
export { DevOutbox } from './dev-outbox';
export type { OutboxMessage } from './dev-outbox';

// Audit sinks for a SIEM
export { SyslogAuditSink } from './syslog-audit.sink';
export type { SyslogAuditSinkOptions } from './syslog-audit.sink';
export { WebhookAuditSink } from './webhook-audit.sink';
export type { WebhookAuditSinkOptions } from './webhook-audit.sink';
