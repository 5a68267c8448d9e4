import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import { lowBackupCodesNotice } from '../enrollment/backup-codes.service';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { MfaSubject } from '../subject';
import type { SpendAndRecord } from './factor.verifier';

type Deps = Pick<ResolvedMfaContext, 'store' | 'backupCodes' | 'hasher'>;

/** Backup codes: any unused one of the user's set matches, and the match is spent once; the user hears of it. */
export class BackupCodeVerifier {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly notifications: NotificationService,
  ) {}

  async redeem(subject: MfaSubject, input: string, commit: SpendAndRecord): Promise<boolean> {
    const code = this.deps.backupCodes.normalize(input);
    if (!code) return false;
    const unused = await this.deps.store.listUnusedBackupCodes(subject.userId);
    const matches = await Promise.all(unused.map((row) => this.deps.hasher.verify(code, row.codeHash)));
    const match = unused[matches.indexOf(true)];
    if (!match) return false;
    const spent = (await commit({ kind: 'backup_code', codeId: match.id })) === 'committed';
    if (spent) {
      this.audit.record(subject, {
        type: 'backup_code.used',
        severity: 'warning',
        channel: 'backup_code',
        outcome: 'success',
        reason: `${unused.length - 1} left`,
      });
      this.notifications.notify(subject, {
        type: 'backup_code.used',
        channel: 'backup_code',
        detail: `${unused.length - 1} left`,
      });
      // After the commit, like every notice: a failure to tell lands in the audit trail, never here.
      const low = lowBackupCodesNotice(unused.length - 1);
      if (low) this.notifications.notify(subject, low);
    }
    return spent;
  }
}
