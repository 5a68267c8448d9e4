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
    /** The user's bound addresses (not the one being added) and the app's own contact address for them. */
    private readonly addressesOf: (userId: string, exceptEnrollmentId?: string) => Promise<string[]>,
    private readonly messages: MfaMessageStrings,
    private readonly issuer: string,
  ) {}

  async notify(n: MfaNotification): Promise<'sent' | 'skipped'> {
    const addresses = await this.addressesOf(n.userId, n.enrollmentId);
    if (addresses.length === 0) return 'skipped';
    const channelName =
      {
        totp: 'authenticator app',
        sms: 'SMS',
        email: 'email',
        backup_code: 'backup codes',
        webauthn: 'passkey',
        account: 'any method',
      }[n.channel ?? ''] ??
      n.channel ??
      '';
    const template = {
      'factor.added': this.messages.factorAdded,
      'factor.removed': this.messages.factorRemoved,
      'backup_codes.regenerated': this.messages.backupCodesRegenerated,
      'backup_code.used': this.messages.backupCodeUsed,
      'backup_codes.low': this.messages.backupCodesLow,
      'device.trusted': this.messages.deviceTrusted,
      'device.revoked': this.messages.deviceRevoked,
      'recovery.issued': this.messages.recoveryIssued,
      'recovery.redeemed': this.messages.recoveryRedeemed,
      'exemption.granted': this.messages.exemptionGranted,
      'exemption.ended': this.messages.exemptionEnded,
      'totp.replayed': this.messages.totpReplayed,
      'attempts.burst': this.messages.attemptsBurst,
      'passkey.cloned': this.messages.passkeyCloned,
      lockout: this.messages.lockedOut,
    }[n.type];
    const what = fillTemplate(template, {
      channel: channelName,
      target: n.maskedTarget ?? '',
      detail: n.detail ?? '',
    }).replace(/\s+\./, '.');
    const values = { issuer: this.issuer, what };
    await Promise.all(
      addresses.map((to) =>
        this.sender.send({
          to,
          subject: fillTemplate(this.messages.notificationSubject, values),
          text: fillTemplate(this.messages.notificationText, values),
        }),
      ),
    );
    return 'sent';
  }
}
