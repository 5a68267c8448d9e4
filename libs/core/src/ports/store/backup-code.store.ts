export interface BackupCodeRecord {
  id: string;
  userId: string;
  codeHash: string;
}

export interface BackupCodeStore {
  /** Voids every earlier code of the user and stores the new set, atomically. */
  replaceBackupCodes(userId: string, codeHashes: Array<{ id: string; codeHash: string }>, now: number): Promise<void>;
  listUnusedBackupCodes(userId: string): Promise<BackupCodeRecord[]>;
  consumeBackupCode(userId: string, codeId: string, now: number): Promise<boolean>;
}
