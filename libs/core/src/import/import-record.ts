import type { TotpProfile } from '../factors/totp-profile';

/** Where a row came from, for the report: a CSV line (1 is the header) or a JSON array index (from 0). */
export interface RowPosition {
  line?: number;
  index?: number;
}

/** A row as read from a source, before any check: every field still untrusted. */
export interface RawImportRow {
  position: RowPosition;
  fields: Record<string, unknown>;
}

/** Stable reasons a row is refused or skipped; scripts branch on `code`, people read `reason`. */
export type ImportProblemCode =
  | 'FIELD_MISSING'
  | 'FIELD_UNKNOWN'
  | 'USER_ID_INVALID'
  | 'SECRET_INVALID'
  | 'SECRET_TOO_SHORT'
  | 'ALGORITHM_UNSUPPORTED'
  | 'DIGITS_UNSUPPORTED'
  | 'PERIOD_UNSUPPORTED'
  | 'LABEL_INVALID'
  | 'BACKUP_CODE_INVALID'
  | 'BACKUP_CODE_HASH_UNSUPPORTED'
  | 'SOURCE_UNREADABLE'
  | 'NOT_ENABLED'
  | 'DUPLICATE_IN_FILE'
  | 'HAS_TOTP'
  | 'HAS_BACKUP_CODES'
  | 'BACKUP_CODE_DROPPED';

export interface ImportProblem extends RowPosition {
  userId?: string;
  field: string;
  code: ImportProblemCode;
  reason: string;
}

export type ImportedBackupCodes = { kind: 'plain'; codes: string[] } | { kind: 'hashed'; hashes: string[] };

/** A row that passed every check: ready to seal, hash and write. */
export interface ImportCandidate {
  position: RowPosition;
  userId: string;
  secret: Buffer;
  profile: TotpProfile;
  /** Null: the default ("Authenticator app", numbered past the user's other apps). */
  label: string | null;
  backupCodes: ImportedBackupCodes | null;
  /** Kept, but worth the operator's eye (e.g. a source code this verifier can never accept). */
  warnings: ImportProblem[];
}

/** What a run did (or, under `dryRun`, would do). */
export interface ImportReport {
  source: string;
  dryRun: boolean;
  rows: number;
  imported: number;
  /** Users whose same secret is already here: an earlier run of the same file. */
  alreadyImported: number;
  duplicates: ImportProblem[];
  invalid: ImportProblem[];
  warnings: ImportProblem[];
}

export function describePosition(p: RowPosition): string {
  return p.line !== undefined ? `line ${p.line}` : p.index !== undefined ? `index ${p.index}` : 'row';
}
