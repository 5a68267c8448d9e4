export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** What the authenticator app needs to know; stored with each enrollment. */
export interface TotpProfile {
  /** @default 'sha1' (the only one every authenticator app supports) */
  algorithm: TotpAlgorithm;
  /** @default 6 */
  digits: 6 | 8;
  /** Seconds per step. @default 30 */
  period: number;
}

export const DEFAULT_TOTP_PROFILE: TotpProfile = { algorithm: 'sha1', digits: 6, period: 30 };
