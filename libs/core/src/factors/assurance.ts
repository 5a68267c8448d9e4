import type { FactorType } from './factor-type';

/** NIST SP 800-63B authenticator assurance level. */
export type Aal = 1 | 2 | 3;

/**
 * What one verification proves, together with the app's own first factor (a password):
 * the AAL it reaches and its RFC 8176 `amr` values. Recorded with the verification, because
 * two passkeys of one user can differ (a synced one is not device-bound).
 */
export interface Assurance {
  aal: Aal;
  amr: string[];
  /** A passkey with user verification: something you have plus something you know or are. */
  multiFactor?: true;
}

/** What a passkey's verification tells: whether it can leave the device, and whether the user was verified. */
export interface PasskeyEvidence {
  backupEligible: boolean;
  userVerified: boolean;
}

/**
 * The one place assurance is decided (docs/security.md, "Assurance levels"):
 * - TOTP, SMS and backup codes reach AAL2 (SMS is RESTRICTED but allowed, 800-63B §3.1.3.3).
 * - Email is not an out-of-band authenticator at AAL2, so an email code reaches AAL1.
 * - A device-bound passkey (not backup-eligible) is a hardware-held, phishing-resistant key: AAL3.
 *   A synced passkey can leave the device, so it reaches AAL2 (800-63B rev 4, syncable authenticators).
 */
export function assuranceOf(factor: FactorType, passkey?: PasskeyEvidence): Assurance {
  switch (factor) {
    case 'totp':
    case 'backup_code':
      return { aal: 2, amr: ['otp'] };
    case 'sms':
      return { aal: 2, amr: ['sms'] };
    case 'email':
      return { aal: 1, amr: ['otp'] };
    case 'webauthn': {
      const deviceBound = passkey ? !passkey.backupEligible : false;
      // RFC 8176 has no value for "PIN or biometric, unknown which"; `pin` is the knowledge-equivalent reading.
      const amr = [deviceBound ? 'hwk' : 'swk', 'user', ...(passkey?.userVerified ? ['pin'] : [])];
      return passkey?.userVerified
        ? { aal: deviceBound ? 3 : 2, amr, multiFactor: true }
        : { aal: deviceBound ? 3 : 2, amr };
    }
  }
}

/** The most a factor type can reach: what a step's `minAal` can expect of it. */
export function highestAal(factor: FactorType): Aal {
  return factor === 'webauthn' ? 3 : factor === 'email' ? 1 : 2;
}

/** A record written before assurance was kept carries none: its factor type says what it proved. */
export function assuranceOfRecord(record: { factor: FactorType; assurance?: Assurance | null }): Assurance {
  return record.assurance ?? assuranceOf(record.factor);
}

/** Only a WebAuthn verification is bound to the origin, so only it resists phishing. */
export function isPhishingResistant(factor: FactorType): boolean {
  return factor === 'webauthn';
}
