/**
 * `nestjs-mfa/delivery`: SMS over HTTP (with provider presets), SMTP email (needs nodemailer),
 * the dev outbox, syslog and webhook audit sinks. `etc/delivery.api.md` is the reviewed surface.
 */

// SMS and email senders
export { HttpSmsSender, smsPreset, SmtpEmailSender } from '../libs/delivery/src';
export type {
  HttpSmsTemplate,
  HttpSmsSenderOptions,
  SmsPresetOptions,
  TwilioOptions,
  VonageOptions,
  InfobipOptions,
  MessageBirdOptions,
  PlivoOptions,
  SmtpEmailSenderOptions,
  SmtpTransportOptions,
} from '../libs/delivery/src';

// Development: every message kept in memory instead of sent
export { DevOutbox } from '../libs/delivery/src';
export type { OutboxMessage } from '../libs/delivery/src';

// Audit sinks for a SIEM
export { SyslogAuditSink, WebhookAuditSink } from '../libs/delivery/src';
export type { SyslogAuditSinkOptions, WebhookAuditSinkOptions } from '../libs/delivery/src';

// The ports they implement (also in `nestjs-mfa/core`)
export type {
  SmsSender,
  EmailSender,
  SmsMessage,
  EmailMessage,
  DeliveryReceipt,
  DeliveryStatusReport,
  StatusCallbackRequest,
  AuditSink,
  AuditEvent,
  AuditSeverity,
  DecisionReplay,
  ReplayVerification,
  ReplayGrant,
  ReportOnlyVerdict,
  DecisionOutcome,
  RequirementStep,
  FactorType,
  Aal,
  VerificationBaseline,
} from '../libs/core/src';
