/** The words of every message MFA sends. `{{code}}`, `{{minutes}}`, `{{issuer}}` and `{{what}}` are filled in. */
export interface MfaMessageStrings {
  smsText: string;
  emailSubject: string;
  emailText: string;
  emailHtml: string;
  notificationSubject: string;
  notificationText: string;
  /** `{{what}}` of a notification, per notification type. */
  factorAdded: string;
  factorRemoved: string;
  backupCodesRegenerated: string;
  backupCodeUsed: string;
  /** `{{detail}}`: how many are left (2, 1 or 0). */
  backupCodesLow: string;
  deviceTrusted: string;
  deviceRevoked: string;
  recoveryIssued: string;
  recoveryRedeemed: string;
  exemptionGranted: string;
  exemptionEnded: string;
  totpReplayed: string;
  attemptsBurst: string;
  passkeyCloned: string;
  lockedOut: string;
}

const EN: MfaMessageStrings = {
  smsText: '{{code}} is your {{issuer}} verification code. It expires in {{minutes}} minutes. Never share it.',
  emailSubject: 'Your {{issuer}} verification code',
  emailText:
    'Your verification code is {{code}}.\n\nIt expires in {{minutes}} minutes. If you did not ask for it, ignore this message and never share the code.',
  emailHtml:
    '<p>Your verification code is</p><p style="font-size:24px;font-weight:bold;letter-spacing:4px">{{code}}</p>' +
    '<p>It expires in {{minutes}} minutes. If you did not ask for it, ignore this message and never share the code.</p>',
  notificationSubject: 'Security change on your {{issuer}} account',
  notificationText:
    '{{what}}\n\nIf this was not you, contact support right away: someone may have access to your account.',
  factorAdded: 'A new sign-in method was added to your account: {{channel}} {{target}}.',
  backupCodesRegenerated: 'New backup codes were generated for your account; the earlier ones no longer work.',
  factorRemoved: 'A sign-in method was removed from your account: {{channel}} {{target}}.',
  backupCodeUsed: 'One of your backup codes was just used to sign in.',
  backupCodesLow: 'Unused backup codes left on your account: {{detail}}. Generate a new set before you run out.',
  deviceTrusted: 'A browser is now trusted to skip some sign-in checks: {{detail}}.',
  deviceRevoked: 'A trusted browser was revoked: {{detail}}.',
  recoveryIssued: 'Support issued a recovery ticket for your account, valid for a limited time.',
  recoveryRedeemed: 'A recovery ticket was used on your account; all earlier sign-in methods were removed.',
  exemptionGranted: 'An administrator exempted your account from {{detail}}.',
  exemptionEnded: 'An administrator ended the exemption of your account from {{detail}}.',
  totpReplayed:
    'A code from your authenticator app was entered again after it had already been used: someone else may have seen it.',
  attemptsBurst: 'Several wrong verification codes were just entered on your account.',
  passkeyCloned:
    'A sign-in with one of your passkeys was refused because its signature counter did not go up: the passkey may have been copied. Remove it and register a new one.',
  lockedOut: 'Sign-in with {{channel}} was paused after too many wrong codes.',
};

const TR: MfaMessageStrings = {
  smsText: '{{issuer}} doğrulama kodunuz: {{code}}. {{minutes}} dakika geçerlidir. Kimseyle paylaşmayın.',
  emailSubject: '{{issuer}} doğrulama kodunuz',
  emailText:
    'Doğrulama kodunuz: {{code}}\n\n{{minutes}} dakika geçerlidir. Bu kodu siz istemediyseniz bu iletiyi yok sayın ve kodu kimseyle paylaşmayın.',
  emailHtml:
    '<p>Doğrulama kodunuz</p><p style="font-size:24px;font-weight:bold;letter-spacing:4px">{{code}}</p>' +
    '<p>{{minutes}} dakika geçerlidir. Bu kodu siz istemediyseniz bu iletiyi yok sayın ve kodu kimseyle paylaşmayın.</p>',
  notificationSubject: '{{issuer}} hesabınızda güvenlik değişikliği',
  notificationText: '{{what}}\n\nBunu siz yapmadıysanız hemen destek ekibine başvurun.',
  factorAdded: 'Hesabınıza yeni bir giriş yöntemi eklendi: {{channel}} {{target}}.',
  backupCodesRegenerated: 'Hesabınız için yeni yedek kodlar üretildi; eskileri artık geçersiz.',
  factorRemoved: 'Hesabınızdan bir giriş yöntemi kaldırıldı: {{channel}} {{target}}.',
  backupCodeUsed: 'Yedek kodlarınızdan biri az önce giriş için kullanıldı.',
  backupCodesLow: 'Hesabınızda kalan kullanılmamış yedek kod sayısı: {{detail}}. Bitmeden yeni bir set oluşturun.',
  deviceTrusted: 'Bir tarayıcı artık bazı giriş adımlarını atlayabilir: {{detail}}.',
  deviceRevoked: 'Güvenilen bir tarayıcı iptal edildi: {{detail}}.',
  recoveryIssued: 'Destek ekibi hesabınız için süreli bir kurtarma bileti oluşturdu.',
  recoveryRedeemed: 'Hesabınızda bir kurtarma bileti kullanıldı; önceki tüm giriş yöntemleri kaldırıldı.',
  exemptionGranted: 'Bir yönetici hesabınızı süreli olarak muaf tuttu: {{detail}}.',
  exemptionEnded: 'Bir yönetici hesabınızın muafiyetini sona erdirdi: {{detail}}.',
  totpReplayed:
    'Doğrulama uygulamanızdan bir kod, daha önce kullanıldıktan sonra yeniden girildi: kodu başka biri görmüş olabilir.',
  attemptsBurst: 'Hesabınızda az önce birkaç yanlış doğrulama kodu girildi.',
  passkeyCloned:
    'Geçiş anahtarlarınızdan biriyle yapılan giriş, imza sayacı artmadığı için reddedildi: anahtar kopyalanmış olabilir. Kaldırıp yenisini kaydedin.',
  lockedOut: 'Çok sayıda yanlış kod nedeniyle {{channel}} ile giriş geçici olarak durduruldu.',
};

const DE: MfaMessageStrings = {
  smsText:
    '{{code}} ist Ihr {{issuer}}-Bestätigungscode. Er ist {{minutes}} Minuten gültig. Geben Sie ihn niemals weiter.',
  emailSubject: 'Ihr {{issuer}}-Bestätigungscode',
  emailText:
    'Ihr Bestätigungscode lautet {{code}}.\n\nEr ist {{minutes}} Minuten gültig. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.',
  emailHtml:
    '<p>Ihr Bestätigungscode lautet</p><p style="font-size:24px;font-weight:bold;letter-spacing:4px">{{code}}</p>' +
    '<p>Er ist {{minutes}} Minuten gültig. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.</p>',
  notificationSubject: 'Sicherheitsänderung an Ihrem {{issuer}}-Konto',
  notificationText: '{{what}}\n\nWenn Sie das nicht waren, wenden Sie sich sofort an den Support.',
  factorAdded: 'Ihrem Konto wurde eine neue Anmeldemethode hinzugefügt: {{channel}} {{target}}.',
  backupCodesRegenerated: 'Für Ihr Konto wurden neue Backup-Codes erzeugt; die alten gelten nicht mehr.',
  factorRemoved: 'Eine Anmeldemethode wurde von Ihrem Konto entfernt: {{channel}} {{target}}.',
  backupCodeUsed: 'Einer Ihrer Backup-Codes wurde soeben zur Anmeldung verwendet.',
  backupCodesLow:
    'Verbleibende unbenutzte Backup-Codes in Ihrem Konto: {{detail}}. Erzeugen Sie neue, bevor sie aufgebraucht sind.',
  deviceTrusted: 'Ein Browser darf nun einige Anmeldeschritte überspringen: {{detail}}.',
  deviceRevoked: 'Ein vertrauenswürdiger Browser wurde widerrufen: {{detail}}.',
  recoveryIssued: 'Der Support hat ein zeitlich begrenztes Wiederherstellungsticket für Ihr Konto ausgestellt.',
  recoveryRedeemed: 'Ein Wiederherstellungsticket wurde verwendet; alle bisherigen Anmeldemethoden wurden entfernt.',
  exemptionGranted: 'Ein Administrator hat Ihr Konto befristet ausgenommen von: {{detail}}.',
  exemptionEnded: 'Ein Administrator hat die Ausnahme Ihres Kontos beendet: {{detail}}.',
  totpReplayed:
    'Ein Code Ihrer Authenticator-App wurde erneut eingegeben, nachdem er bereits verwendet worden war: Jemand anderes könnte ihn gesehen haben.',
  attemptsBurst: 'Soeben wurden mehrere falsche Bestätigungscodes für Ihr Konto eingegeben.',
  passkeyCloned:
    'Eine Anmeldung mit einem Ihrer Passkeys wurde abgelehnt, weil sein Signaturzähler nicht gestiegen ist: Der Passkey könnte kopiert worden sein. Entfernen Sie ihn und registrieren Sie einen neuen.',
  lockedOut: 'Die Anmeldung mit {{channel}} wurde nach zu vielen falschen Codes vorübergehend gesperrt.',
};

export const MFA_MESSAGE_LOCALES: Record<string, MfaMessageStrings> = { en: EN, tr: TR, de: DE };

/** A built-in locale (falling back to English), with the app's own strings over it. */
export function resolveMessages(locale = 'en', overrides: Partial<MfaMessageStrings> = {}): MfaMessageStrings {
  return { ...(MFA_MESSAGE_LOCALES[locale] ?? EN), ...overrides };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Fills `{{name}}` placeholders; `html` escapes the values, never the template. */
export function fillTemplate(template: string, values: Record<string, string>, html = false): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return html ? value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : value;
  });
}
