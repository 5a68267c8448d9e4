import { randomInt } from 'node:crypto';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';

// Crockford's base32: no I, L, O, U, so codes survive being read aloud or written down.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/**
 * What a typed code may hold: our alphabet, plus U for codes imported from systems that use
 * it (Better Auth's a-z0-9). A typed U can only match such a code, since ours never hold one.
 */
const ACCEPTED = `${ALPHABET}U`;
const BITS_PER_CHAR = 5;
const GROUP = 4;
/** NIST 800-63B wants at least 64 bits for a look-up secret: 13 characters are 65. */
export const MIN_BACKUP_CODE_LENGTH = 13;
/**
 * Codes issued before the 16-character default were at least 10 characters. They stay
 * redeemable until the user regenerates: a shorter input can only ever match a stored
 * code of that same length, so accepting it takes nothing from the newer, longer codes.
 */
const LEGACY_MIN_LENGTH = 10;
/** 160 bits; grouped, still inside the 64 characters a submitted code may have. */
const MAX_LENGTH = 32;
/** Inputs are bounded before any scrypt runs on them. */
const MAX_INPUT_LENGTH = 64;

export interface BackupCodeOptions {
  /** Codes per set. @default 10 */
  count?: number;
  /** Characters per code, 5 bits each: 16 give 80 bits; at least 13 (65 bits). @default 16 */
  length?: number;
}

/** Generation and input normalisation of look-up secrets. */
export class BackupCodeFactor {
  readonly count: number;
  private readonly length: number;

  constructor(options: BackupCodeOptions = {}) {
    this.count = options.count ?? 10;
    const length = options.length ?? 16;
    if (!Number.isInteger(length) || length < MIN_BACKUP_CODE_LENGTH || length > MAX_LENGTH) {
      throw new MfaConfigurationError(
        `backupCodes.length must be a whole number from ${MIN_BACKUP_CODE_LENGTH} to ${MAX_LENGTH} (got ${length}): ` +
          `each character carries ${BITS_PER_CHAR} bits and NIST 800-63B asks for at least 64. Remove the option for the 16-character default (80 bits).`,
      );
    }
    this.length = length;
  }

  /** Grouped for reading: `xxxx-xxxx-xxxx-xxxx`. */
  generateSet(): string[] {
    return Array.from({ length: this.count }, () => {
      let raw = '';
      for (let i = 0; i < this.length; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
      return raw
        .match(new RegExp(`.{1,${GROUP}}`, 'g'))!
        .join('-')
        .toLowerCase();
    });
  }

  /**
   * Case, spaces and dashes do not matter; look-alike letters map to their digits. This is
   * exactly the form every stored hash was made of, before and after the 16-character default.
   */
  normalize(input: string): string | null {
    const compact = input
      .toUpperCase()
      .replace(/[\s-]+/g, '')
      .replace(/[IL]/g, '1')
      .replace(/O/g, '0');
    if (compact.length < LEGACY_MIN_LENGTH || compact.length > MAX_INPUT_LENGTH) return null;
    for (const ch of compact) if (!ACCEPTED.includes(ch)) return null;
    return compact;
  }
}
