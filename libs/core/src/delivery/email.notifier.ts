import { fillTemplate, MfaMessageStrings } from './otp-messages';
import { EmailSender } from '../ports/delivery.port';
import { MfaNotification, Notifier } from '../ports/notifier.port';

/**
 * The default notifier: an email to each address the user has bound as a factor, except
 * the one being added (a new channel must not be the only one told about itself).
 */
export class EmailNotifier implements Notifier {
  constructor(
    private readonly sender: EmailSender,
    private readonly addressesOf: (userId: string, exceptEnrollmentId?: string) => Promise<string[]>,
    private readonly messages: MfaMessageStrings,
    private readonly issuer: string,
  ) {}

  async notify(n: MfaNotification): Promise<'sent' | 'skipped'> {
    const addresses = await this.addressesOf(n.userId, n.enrollmentId);
    if (addresses.length === 0) return 'skipped';
    const channelName = { totp: 'authenticator app', sms: 'SMS', email: 'email' }[n.channel ?? ''] ?? n.channel ?? '';
    const what =
      n.type === 'factor.added'
        ? fillTemplate(this.messages.factorAdded, { channel: channelName, target: n.maskedTarget ?? '' }).replace(/\s+\./, '.')
        : this.messages.backupCodesRegenerated;
    const values = { issuer: this.issuer, what };
    await Promise.all(
      addresses.map((to) =>
        this.sender.send({ to, subject: fillTemplate(this.messages.notificationSubject, values), text: fillTemplate(this.messages.notificationText, values) }),
      ),
    );
    return 'sent';
  }
}
