import type { EnrollmentRecord } from './enrollment.store';

/** One user's factor brought in from another system: an active TOTP enrollment and, maybe, backup codes. */
export interface ImportedFactor {
  /** Active, sealed under the current key, with `lastStep` at the import's time step. */
  enrollment: EnrollmentRecord;
  /** Hashes in the CodeHasher's format; empty when the source had none. */
  backupCodes: Array<{ id: string; codeHash: string }>;
}

/**
 * `imported`: the enrollment and every code were written. Otherwise nothing was:
 * `has_totp` when the user already has an active authenticator app, `has_backup_codes`
 * when codes came with the row and the user already has unused ones.
 */
export type FactorImportOutcome = 'imported' | 'has_totp' | 'has_backup_codes';

/** Factors brought in from other systems (`nestjs-mfa import`), each user's all or nothing. */
export interface FactorImportStore {
  /**
   * Writes the enrollment and its backup codes in one transaction, after checking in the
   * same transaction that the user has no active TOTP factor (and, when codes come along,
   * no unused backup code). A failure anywhere leaves nothing of the user behind.
   */
  importFactor(factor: ImportedFactor, now: number): Promise<FactorImportOutcome>;
}
