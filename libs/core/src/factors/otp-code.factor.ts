import { randomInt } from 'node:crypto';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';

/** How codes sent by SMS or email look and how long they live. */
export interface OtpProfile {
  /** Digits per code, 6 to 10. @default 6 */
  length: number;
  /** Digits per group when shown (`123-456`); 0 for none. Input is accepted either way. @default 0 */
  groupSize: number;
  /** Seconds a code stays valid; at most 600. @default 300 */
  validitySeconds: number;
}

export const DEFAULT_OTP_PROFILE: OtpProfile = { length: 6, groupSize: 0, validitySeconds: 300 };

export function resolveOtpProfile(base: Partial<OtpProfile> = {}, override: Partial<OtpProfile> = {}): OtpProfile {
  const profile = { ...DEFAULT_OTP_PROFILE, ...base, ...override };
  if (!Number.isInteger(profile.length) || profile.length < 6 || profile.length > 10) {
    throw new MfaConfigurationError(`otp length must be a whole number from 6 to 10 (got ${profile.length}).`);
  }
  if (!Number.isInteger(profile.groupSize) || profile.groupSize < 0 || profile.groupSize >= profile.length) {
    throw new MfaConfigurationError(
      `otp groupSize must be 0 (no grouping) or less than the length (got ${profile.groupSize}).`,
    );
  }
  // NIST 800-63B keeps out-of-band codes short-lived; ten minutes is our ceiling.
  if (!Number.isInteger(profile.validitySeconds) || profile.validitySeconds < 30 || profile.validitySeconds > 600) {
    throw new MfaConfigurationError(`otp validitySeconds must be from 30 to 600 (got ${profile.validitySeconds}).`);
  }
  return profile;
}

/** Generation and input normalisation of out-of-band codes. */
export class OtpCodeFactor {
  /** Uniform digits from the CSPRNG, grouped for reading when the profile says so. */
  generate(profile: OtpProfile): string {
    let digits = '';
    for (let i = 0; i < profile.length; i++) digits += String(randomInt(10));
    if (!profile.groupSize) return digits;
    return digits.match(new RegExp(`.{1,${profile.groupSize}}`, 'g'))!.join('-');
  }

  /** Spaces and dashes do not matter; anything else but the right number of digits is no code. */
  normalize(input: string, profile: OtpProfile): string | null {
    if (typeof input !== 'string') return null;
    const compact = input.replace(/[\s-]+/g, '');
    return compact.length === profile.length && /^\d+$/.test(compact) ? compact : null;
  }
}
