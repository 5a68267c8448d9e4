import { randomInt } from 'node:crypto';

// Crockford-style alphabet: no I, L, O, U, so codes survive being read aloud or written down.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = 5;

export interface BackupCodeOptions {
  /** Codes per set. @default 10 */
  count?: number;
  /** Characters per code, 5 bits each; 10 gives 50 bits. @default 10 */
  length?: number;
}

/** Generation and input normalisation of look-up secrets. */
export class BackupCodeFactor {
  readonly count: number;
  private readonly length: number;

  constructor(options: BackupCodeOptions = {}) {
    this.count = options.count ?? 10;
    this.length = Math.max(10, options.length ?? 10);
  }

  /** Grouped for reading: `xxxxx-xxxxx`. */
  generateSet(): string[] {
    return Array.from({ length: this.count }, () => {
      let raw = '';
      for (let i = 0; i < this.length; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
      return raw.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-').toLowerCase();
    });
  }

  /** Case, spaces and dashes do not matter; look-alike letters map to their digits. */
  normalize(input: string): string | null {
    const compact = input.toUpperCase().replace(/[\s-]+/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
    if (compact.length !== this.length) return null;
    for (const ch of compact) if (!ALPHABET.includes(ch)) return null;
    return compact;
  }
}
