import { randomUUID } from 'node:crypto';
import { DeliveryReceipt, EmailMessage, EmailSender, SmsMessage, SmsSender } from '../../core/src';

export interface OutboxMessage {
  id: string;
  channel: 'sms' | 'email';
  to: string;
  subject?: string;
  text: string;
  at: string;
}

/**
 * A development stand-in for both providers: it keeps the last messages in memory so
 * every flow runs locally. It delivers nothing; never configure it in production.
 */
export class DevOutbox implements SmsSender, EmailSender {
  private readonly kept: OutboxMessage[] = [];

  constructor(private readonly capacity = 100) {}

  /** As an SmsSender: `sms: outbox.sms`. */
  readonly sms: SmsSender = { send: (m: SmsMessage) => this.record('sms', m.to, m.text) };
  /** As an EmailSender: `email: outbox.email`. */
  readonly email: EmailSender = { send: (m: EmailMessage) => this.record('email', m.to, m.text, m.subject) };

  send(message: SmsMessage | EmailMessage): Promise<DeliveryReceipt> {
    return 'subject' in message
      ? this.record('email', message.to, message.text, message.subject)
      : this.record('sms', message.to, message.text);
  }

  /** Newest first. */
  messages(to?: string): OutboxMessage[] {
    return this.kept.filter((m) => to === undefined || m.to === to).reverse();
  }

  clear(): void {
    this.kept.length = 0;
  }

  private async record(channel: 'sms' | 'email', to: string, text: string, subject?: string): Promise<DeliveryReceipt> {
    const id = randomUUID();
    this.kept.push({ id, channel, to, subject, text, at: new Date().toISOString() });
    if (this.kept.length > this.capacity) this.kept.shift();
    return { provider: 'dev-outbox', messageId: id, status: 'stored' };
  }
}
