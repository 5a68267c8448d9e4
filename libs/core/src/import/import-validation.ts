import { MfaError } from '../errors/mfa.error';
import { normalizeLabel } from '../enrollment/factor-label';
import { fromBase32 } from '../factors/base32';
import type { TotpAlgorithm } from '../factors/totp-profile';
import { checkCodeHash } from './backup-code-hash';
import type {
  ImportCandidate,
  ImportedBackupCodes,
  ImportProblem,
  ImportProblemCode,
  RawImportRow,
} from './import-record';

/** The columns a generic file may have; any other is refused rather than silently ignored. */
export const IMPORT_FIELDS = [
  'userId',
  'secret',
  'algorithm',
  'digits',
  'period',
  'label',
  'backupCodes',
  'backupCodeHashes',
] as const;

/** The store's `user_id` is VARCHAR(191); PostgreSQL refuses NUL in text. */
export const MAX_IMPORT_USER_ID_LENGTH = 191;
/** RFC 4226 §4 R6: the shared secret is at least 128 bits. */
export const MIN_SECRET_BYTES = 16;
const MAX_SECRET_BYTES = 128;
const MIN_PERIOD = 15;
const MAX_PERIOD = 120;
const MAX_CODES = 100;
const ALGORITHMS: Record<string, TotpAlgorithm> = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' };

export interface ValidationRules {
  /** The verifier's own normalisation (BackupCodeFactor.normalize): null means it can never accept the code. */
  normalizeCode(code: string): string | null;
  /**
   * 'refuse' (a file the operator can fix): such a code refuses its row. 'drop' (Better
   * Auth, whose codes cannot be changed): the code is left out with a warning.
   */
  unusableCodes: 'refuse' | 'drop';
}

/** Every check a row must pass before anything is sealed, hashed or written; all problems at once. */
export function validateImportRow(row: RawImportRow, rules: ValidationRules): ImportCandidate | ImportProblem[] {
  const f = row.fields;
  const problems: ImportProblem[] = [];
  const warnings: ImportProblem[] = [];
  const userId = typeof f.userId === 'string' ? f.userId : undefined;
  const refuse = (field: string, code: ImportProblemCode, reason: string) =>
    problems.push({ ...row.position, ...(userId !== undefined && { userId }), field, code, reason });

  for (const key of Object.keys(f))
    if (!(IMPORT_FIELDS as readonly string[]).includes(key))
      refuse(key, 'FIELD_UNKNOWN', `unknown field; expected ${IMPORT_FIELDS.join(', ')}`);

  if (blank(f.userId)) refuse('userId', 'FIELD_MISSING', 'userId is required');
  else if (typeof f.userId !== 'string') refuse('userId', 'USER_ID_INVALID', 'userId must be a string');
  else if (f.userId.length > MAX_IMPORT_USER_ID_LENGTH || f.userId.includes('\u0000'))
    refuse('userId', 'USER_ID_INVALID', `userId must be 1 to ${MAX_IMPORT_USER_ID_LENGTH} characters, without NUL`);
  else if (f.userId.trim() !== f.userId)
    refuse('userId', 'USER_ID_INVALID', 'userId has leading or trailing spaces (the id must match your app exactly)');

  const secret = checkSecret(f.secret, refuse);
  const algorithm = blank(f.algorithm) ? 'sha1' : ALGORITHMS[String(f.algorithm).toUpperCase().replace(/-/g, '')];
  if (!algorithm) refuse('algorithm', 'ALGORITHM_UNSUPPORTED', 'algorithm must be SHA1, SHA256 or SHA512');
  const digits = blank(f.digits) ? 6 : Number(f.digits);
  if (digits !== 6 && digits !== 8) refuse('digits', 'DIGITS_UNSUPPORTED', 'digits must be 6 or 8');
  const period = blank(f.period) ? 30 : Number(f.period);
  if (!Number.isInteger(period) || period < MIN_PERIOD || period > MAX_PERIOD)
    refuse(
      'period',
      'PERIOD_UNSUPPORTED',
      `period must be a whole number of seconds from ${MIN_PERIOD} to ${MAX_PERIOD}`,
    );
  let label: string | null = null;
  if (!blank(f.label)) {
    try {
      label = normalizeLabel(String(f.label));
    } catch (err) {
      if (!(err instanceof MfaError)) throw err;
      refuse('label', 'LABEL_INVALID', 'label must be 1 to 64 characters, without control characters');
    }
  }
  const backupCodes = checkBackupCodes(f, rules, refuse, (field, code, reason) =>
    warnings.push({ ...row.position, userId, field, code, reason }),
  );

  if (problems.length) return problems;
  return {
    position: row.position,
    userId: userId!,
    secret: secret!,
    profile: { algorithm, digits: digits as 6 | 8, period },
    label,
    backupCodes,
    warnings,
  };
}

type Refuse = (field: string, code: ImportProblemCode, reason: string) => void;

function checkSecret(value: unknown, refuse: Refuse): Buffer | undefined {
  if (blank(value)) return void refuse('secret', 'FIELD_MISSING', 'secret (base32) is required');
  if (Buffer.isBuffer(value)) return checkLength(value, refuse);
  if (typeof value !== 'string') return void refuse('secret', 'SECRET_INVALID', 'secret must be a base32 string');
  let bytes: Buffer;
  try {
    bytes = fromBase32(value);
  } catch {
    return void refuse('secret', 'SECRET_INVALID', 'secret is not base32 (RFC 4648: A-Z and 2-7)');
  }
  return checkLength(bytes, refuse);
}

function checkLength(bytes: Buffer, refuse: Refuse): Buffer | undefined {
  if (bytes.length < MIN_SECRET_BYTES)
    return void refuse(
      'secret',
      'SECRET_TOO_SHORT',
      `secret has ${bytes.length * 8} bits; RFC 4226 asks for at least 128`,
    );
  if (bytes.length > MAX_SECRET_BYTES)
    return void refuse('secret', 'SECRET_INVALID', `secret is longer than ${MAX_SECRET_BYTES} bytes`);
  return bytes;
}

function checkBackupCodes(
  f: Record<string, unknown>,
  rules: ValidationRules,
  refuse: Refuse,
  warn: Refuse,
): ImportedBackupCodes | null {
  const plain = listOf(f.backupCodes);
  const hashed = listOf(f.backupCodeHashes);
  const problem =
    plain === 'invalid'
      ? 'backupCodes must be a list or a space-separated string'
      : hashed === 'invalid'
        ? 'backupCodeHashes must be a list or a space-separated string'
        : plain.length && hashed.length
          ? 'give backupCodes or backupCodeHashes, not both'
          : plain.length + hashed.length > MAX_CODES
            ? `more than ${MAX_CODES} backup codes`
            : null;
  if (problem || plain === 'invalid' || hashed === 'invalid') {
    refuse(hashed === 'invalid' ? 'backupCodeHashes' : 'backupCodes', 'BACKUP_CODE_INVALID', problem!);
    return null;
  }
  if (hashed.length) {
    hashed.forEach((hash, i) => {
      const problem = checkCodeHash(hash);
      if (problem) refuse('backupCodeHashes', 'BACKUP_CODE_HASH_UNSUPPORTED', `hash ${i + 1}: ${problem}`);
    });
    return { kind: 'hashed', hashes: [...new Set(hashed)] };
  }
  if (!plain.length) return null;
  const codes = new Set<string>();
  plain.forEach((code, i) => {
    const normal = rules.normalizeCode(code);
    if (normal) return void codes.add(normal);
    const reason = `code ${i + 1} has characters or a length this verifier never accepts (10-64 of 0-9 and A-Z)`;
    if (rules.unusableCodes === 'refuse') refuse('backupCodes', 'BACKUP_CODE_INVALID', reason);
    else warn('backupCodes', 'BACKUP_CODE_DROPPED', `${reason}: left out`);
  });
  // Two spellings of one code would otherwise be two rows, and the code usable twice.
  return codes.size ? { kind: 'plain', codes: [...codes] } : null;
}

function listOf(value: unknown): string[] | 'invalid' {
  if (blank(value)) return [];
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.filter(Boolean);
  return 'invalid';
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}
