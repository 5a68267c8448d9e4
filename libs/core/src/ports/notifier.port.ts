/**
 * Something changed on the user's factors. NIST 800-63B r4 asks that the user hear of
 * it through a channel other than the one that changed, so a stolen session cannot bind
 * an attacker's phone in silence.
 */
export interface MfaNotification {
  type:
    | 'factor.added'
    | 'factor.removed'
    | 'backup_codes.regenerated'
    | 'backup_code.used'
    // 2 or fewer unused backup codes are left after one was spent (`detail`: how many).
    | 'backup_codes.low'
    | 'device.trusted'
    | 'device.revoked'
    | 'recovery.issued'
    | 'recovery.redeemed'
    // An administrator's time-boxed exemption was granted, or ended before its time.
    | 'exemption.granted'
    | 'exemption.ended'
    // Security notices: signs that someone else is at the user's second factor (never a code).
    | 'totp.replayed'
    | 'attempts.burst'
    | 'passkey.cloned'
    | 'lockout';
  userId: string;
  at: number;
  /** The factor the change is about. */
  channel?: string;
  /** Masked, never the full target. */
  maskedTarget?: string;
  /** The enrollment that changed: the notifier does not write to the channel being added. */
  enrollmentId?: string;
  /** A trusted device's label ("Firefox on Linux"), or who acted ("an administrator"). */
  detail?: string;
}

/** Tells the user. Throwing is reported in the audit trail and never undoes the change. */
export interface Notifier {
  notify(notification: MfaNotification): Promise<'sent' | 'skipped'>;
}
