// Style: raw SQL for the read and the spend a backup-code verification runs; the
// repository API, in one transaction, for regeneration.
import type { BackupCodeRecord, BackupCodeStore } from '../../../core/src';
import { MfaBackupCodeEntity } from '../entities/mfa-backup-code.entity';
import type { SqlRunner } from '../sql-runner';
import { spendStatements } from './spend.statements';

export class BackupCodeRepository implements BackupCodeStore {
  constructor(private readonly sql: SqlRunner) {}

  async replaceBackupCodes(userId: string, codes: Array<{ id: string; codeHash: string }>, now: number): Promise<void> {
    await this.sql.dataSource.transaction(async (em) => {
      await em.delete(MfaBackupCodeEntity, { userId });
      await em.insert(
        MfaBackupCodeEntity,
        codes.map((c) => ({ ...c, userId, createdAt: now, usedAt: null })),
      );
    });
  }

  async listUnusedBackupCodes(userId: string): Promise<BackupCodeRecord[]> {
    const rows = await this.sql.select<{ id: string; code_hash: string }>(
      'SELECT id, code_hash FROM mfa_backup_codes WHERE user_id = ? AND used_at IS NULL',
      [userId],
    );
    return rows.map((r) => ({ id: r.id, userId, codeHash: r.code_hash }));
  }

  async consumeBackupCode(userId: string, id: string, now: number): Promise<boolean> {
    const [spend] = spendStatements(userId, { kind: 'backup_code', codeId: id }, now);
    return (await this.sql.write(...spend)) === 1;
  }
}
