import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DeliveryError } from '../errors/delivery.error';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { DeliveryReceipt, EmailMessage, EmailSender } from '../ports/delivery.port';

export interface SmtpEmailSenderOptions {
  /** nodemailer SMTP options: host, port, secure, auth, requireTLS, tls… */
  transport: SMTPTransport.Options;
  /** e.g. `"Acme Security" <security@acme.example>` */
  from: string;
}

/** Email codes and notifications over SMTP, through nodemailer. */
export class SmtpEmailSender implements EmailSender {
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(private readonly options: SmtpEmailSenderOptions) {
    if (!options?.transport || !options.from) throw new MfaConfigurationError('email: SmtpEmailSender needs transport and from.');
    this.transporter = createTransport(options.transport);
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
