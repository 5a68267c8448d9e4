import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback (nodemailer's smtp-server) that keeps what it receives. */
export class SmtpInbox {
  readonly messages: ParsedMail[] = [];
  /** Set to make the server refuse the next messages with this reply code. */
  rejectWith: number | null = null;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpInbox> {
    let inbox!: SmtpInbox;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        if (inbox.rejectWith) {
          stream.resume();
          stream.on('end', () =>
            callback(
              Object.assign(new Error('mailbox unavailable for +15551234567'), { responseCode: inbox.rejectWith! }),
            ),
          );
          return;
        }
        simpleParser(stream).then((mail) => {
          inbox.messages.push(mail);
          inbox.waiters.splice(0).forEach((wake) => wake());
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    inbox = new SmtpInbox(server, (server.server.address() as AddressInfo).port);
    return inbox;
  }

  /** nodemailer transport options pointing here. */
  get transport() {
    return { host: '127.0.0.1', port: this.port, secure: false, ignoreTLS: true };
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => JSON.stringify(m.to ?? '').includes(address));
  }

  /** Waits until `address` has received `count` messages. */
  async waitFor(address: string, count = 1, timeoutMs = 5000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      if (Date.now() > deadline) throw new Error(`no mail #${count} for ${address}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.to(address);
  }

  /** The code in the newest message to `address`. */
  async lastCode(address: string, count?: number): Promise<string> {
    const mails = await this.waitFor(address, count ?? this.to(address).length + (this.to(address).length ? 0 : 1));
    const match = /\b(\d{3}-?\d{3,7})\b/.exec(mails.at(-1)!.text ?? '');
    if (!match) throw new Error('no code in the mail');
    return match[1];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
