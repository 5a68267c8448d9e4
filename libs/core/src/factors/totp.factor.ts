import { randomBytes } from 'node:crypto';
import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { toBase32 } from './base32';
import { TotpProfile } from './totp-profile';

const crypto = new NodeCryptoPlugin();

export interface TotpFactorOptions {
  /** Secret length in bytes; RFC 4226 recommends 160 bits. @default 20 */
  secretBytes?: number;
  /** Accepted steps either side of now, for clock drift (RFC 6238 §5.2). @default 1 */
  tolerance?: number;
}

/**
 * RFC 6238 arithmetic over otplib. It answers WHICH time step a code belongs to and
 * never decides single use: the store's conditional write on `last_step` does that.
 */
export class TotpFactor {
  private readonly secretBytes: number;
  private readonly tolerance: number;

  constructor(options: TotpFactorOptions = {}) {
    this.secretBytes = options.secretBytes ?? 20;
    this.tolerance = options.tolerance ?? 1;
    if (this.secretBytes < 20) throw new MfaConfigurationError('totp.secretBytes must be at least 20 (160 bits).');
    if (!Number.isInteger(this.tolerance) || this.tolerance < 0 || this.tolerance > 2) {
      throw new MfaConfigurationError('totp.tolerance must be 0, 1 or 2 steps (RFC 6238 recommends at most 1).');
    }
  }

  createSecret(): Buffer {
    return randomBytes(this.secretBytes);
  }

  otpauthUri(secret: Uint8Array, issuer: string, account: string, profile: TotpProfile): string {
    return generateTOTP({ issuer, label: account, secret: toBase32(secret), ...profile });
  }

  generate(secret: Uint8Array, profile: TotpProfile, nowMs: number): string {
    return generateSync({ secret, crypto, ...profile, epoch: Math.floor(nowMs / 1000) });
  }

  /** The time step the code matches within tolerance, or null. */
  matchStep(secret: Uint8Array, code: string, profile: TotpProfile, nowMs: number): number | null {
    const token = code.replace(/\s+/g, '');
    if (token.length !== profile.digits || !/^\d+$/.test(token)) return null;
    const result = verifySync({
      secret,
      crypto,
      token,
      ...profile,
      epoch: Math.floor(nowMs / 1000),
      epochTolerance: this.tolerance * profile.period,
    });
    return result.valid ? result.timeStep : null;
  }
}
