import { createHash } from 'node:crypto';
import { fromBase32 } from '../factors/base32';
import type { ImportProblem, RawImportRow, RowPosition } from './import-record';
import { xchacha20poly1305Open } from './xchacha20-poly1305';

/** A row of Better Auth's `twoFactor` table, as its database returns it. */
export interface BetterAuthTwoFactorRow {
  id: string;
  userId: string;
  secret: string;
  backupCodes: string | null;
  /** 0/1 on SQLite, a boolean elsewhere; null on rows from before the column (Better Auth's default: true). */
  verified: unknown;
}

/**
 * What decrypts Better Auth's columns: BETTER_AUTH_SECRET (the bare-hex payloads), and the
 * versioned BETTER_AUTH_SECRETS (`<version>:<secret>,…`) for `$ba$<version>$…` envelopes.
 */
export interface BetterAuthSecrets {
  secret?: string;
  versions?: ReadonlyMap<number, string>;
}

/** Better Auth's TOTP settings (`twoFactor({ totpOptions })`): not stored per row. */
export interface BetterAuthTotpOptions {
  /** @default 6 */
  digits?: number;
  /** @default 30 */
  period?: number;
}

const ENVELOPE = /^\$ba\$(\d+)\$([0-9a-fA-F]+)$/;
const BASE32_PREFIX = 'base32:';

/** `BETTER_AUTH_SECRETS` as Better Auth parses it. */
export function parseBetterAuthSecrets(text: string): Map<number, string> {
  const versions = new Map<number, string>();
  for (const entry of text.split(',')) {
    const colon = entry.indexOf(':');
    const version = Number(entry.slice(0, colon).trim());
    const value = entry.slice(colon + 1).trim();
    if (colon < 0 || !Number.isInteger(version) || version < 0 || !value)
      throw new Error('BETTER_AUTH_SECRETS entries are "<version>:<secret>", separated by commas.');
    versions.set(version, value);
  }
  return versions;
}

/**
 * Better Auth's `symmetricDecrypt`: XChaCha20-Poly1305 under SHA-256 of the secret's UTF-8,
 * the 24-byte nonce in front of the ciphertext, all hex; optionally in a `$ba$<version>$` envelope.
 */
export function betterAuthDecrypt(data: string, secrets: BetterAuthSecrets): string {
  const envelope = ENVELOPE.exec(data);
  const secret = envelope ? secrets.versions?.get(Number(envelope[1])) : secrets.secret;
  if (!secret)
    throw new Error(
      envelope
        ? `sealed with secret version ${envelope[1]}, which --secrets does not list`
        : 'sealed with BETTER_AUTH_SECRET, which --secret does not give',
    );
  const hex = envelope ? envelope[2] : data;
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 || hex.length < 80) throw new Error('not a Better Auth ciphertext');
  const bytes = Buffer.from(hex, 'hex');
  const key = createHash('sha256').update(secret, 'utf8').digest();
  try {
    return xchacha20poly1305Open(key, bytes.subarray(0, 24), bytes.subarray(24)).toString('utf8');
  } catch {
    throw new Error('does not decrypt with the given secret (wrong BETTER_AUTH_SECRET?)');
  }
}

/**
 * One `twoFactor` row as an import row: the TOTP key is the decrypted string's UTF-8 bytes,
 * as Better Auth's `createOTP` uses it, or the bytes of a `base32:` secret it imported; SHA-1
 * always (Better Auth has no other); backup codes decrypted from their JSON list (or read
 * as plain JSON, `storeBackupCodes: 'plain'`).
 */
export function fromBetterAuthRow(
  row: BetterAuthTwoFactorRow,
  position: RowPosition,
  secrets: BetterAuthSecrets,
  totp: BetterAuthTotpOptions = {},
): RawImportRow | ImportProblem[] {
  const problem = (field: string, code: ImportProblem['code'], reason: string): ImportProblem[] => [
    { ...position, userId: row.userId, field, code, reason },
  ];
  if (row.verified === false || row.verified === 0 || row.verified === '0' || row.verified === 'f')
    return problem('verified', 'NOT_ENABLED', 'two-factor setup was never verified in Better Auth');
  let secret: Buffer;
  try {
    const text = betterAuthDecrypt(row.secret, secrets);
    secret = text.startsWith(BASE32_PREFIX) ? fromBase32(text.slice(BASE32_PREFIX.length)) : Buffer.from(text, 'utf8');
  } catch (err) {
    return problem('secret', 'SOURCE_UNREADABLE', `secret ${(err as Error).message}`);
  }
  let backupCodes: string[] = [];
  if (row.backupCodes) {
    try {
      const json = row.backupCodes.trimStart().startsWith('[')
        ? row.backupCodes
        : betterAuthDecrypt(row.backupCodes, secrets);
      const list = parseCodeList(json);
      if (!list) return problem('backupCodes', 'SOURCE_UNREADABLE', 'backup codes are not a JSON list');
      backupCodes = list;
    } catch (err) {
      // Only betterAuthDecrypt's own fixed messages reach here, never the decrypted text.
      return problem('backupCodes', 'SOURCE_UNREADABLE', `backup codes ${(err as Error).message}`);
    }
  }
  return {
    position,
    fields: {
      userId: row.userId,
      secret,
      algorithm: 'SHA1',
      digits: totp.digits ?? 6,
      period: totp.period ?? 30,
      ...(backupCodes.length && { backupCodes }),
    },
  };
}

// JSON.parse's message quotes the text around the fault, here decrypted backup codes: it is never passed on.
function parseCodeList(json: string): string[] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    return undefined;
  }
  return Array.isArray(list) && list.every((c) => typeof c === 'string') ? list : undefined;
}
