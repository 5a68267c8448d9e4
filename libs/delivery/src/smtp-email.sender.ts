import type { Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DeliveryError, MfaConfigurationError, DeliveryReceipt, EmailMessage, EmailSender } from '../../core/src';
import { requireOptionalPeer } from '../../core/src/errors/optional-peer';

/**
 * nodemailer's SMTP options (`SMTPTransport.Options`): host, port, secure, auth, requireTLS,
 * tls… Typed loosely so the published declarations compile in apps without nodemailer.
 */
export type SmtpTransportOptions = Record<string, any>;

export interface SmtpEmailSenderOptions {
  transport: SmtpTransportOptions;
  /** e.g. `"Acme Security" <security@acme.example>` */
  from: string;
}

const INSTALL_NODEMAILER =
  'email: SmtpEmailSender sends through nodemailer: run `npm install nodemailer`, or pass your own EmailSender.';

/** Email codes and notifications over SMTP, through nodemailer. */
export class SmtpEmailSender implements EmailSender {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpEmailSenderOptions) {
    if (!options?.transport || !options.from)
      throw new MfaConfigurationError('email: SmtpEmailSender needs transport and from.');
    // Loaded here, not at the top: importing nestjs-mfa must work in apps that send no email.
    const nodemailer = requireOptionalPeer(
      'nodemailer',
      () => require('nodemailer') as typeof import('nodemailer'),
      INSTALL_NODEMAILER,
    );
    this.transporter = nodemailer.createTransport(options.transport as SMTPTransport.Options);
  }

  async send(message: EmailMessage): Promise<DeliveryReceipt> {
    try {
      const info = await this.transporter.sendMail({ from: this.options.from, ...message });
      if (info.rejected.length > 0) throw new DeliveryError('smtp', 'recipient rejected');
      return { provider: 'smtp', messageId: info.messageId, status: 'accepted' };
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      // nodemailer's error carries the server's reply, which may quote the recipient: keep only its code.
      const e = err as { responseCode?: number; code?: string };
      throw new DeliveryError('smtp', e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'error'));
    }
  }

  close(): void {
    this.transporter.close();
  }
}
