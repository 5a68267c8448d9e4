import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import type { Reauthentication } from '../enforcement/reauthentication';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'backupCodes' | 'hasher'>;

/** Backup codes recover a factor, they are not one: issued with the first factor, regenerated on request. */
export class BackupCodesService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly reauth: Reauthentication,
    private readonly notifications: NotificationService,
  ) {}

  async regenerate(subject: MfaSubject, context: RequestContext = {}): Promise<string[]> {
    // Checked first: with no factor the user cannot step up either, and would only hear "enroll".
    await this.requireFactor(subject.userId);
    await this.reauth.requireFresh(subject, context);
    const codes = await this.issue(subject);
    this.notifications.notify(subject, { type: 'backup_codes.regenerated', channel: 'backup_code' });
    return codes;
  }

  /** An admin's regeneration for a user: audited with the admin, the user is told. */
  async regenerateFor(admin: MfaSubject, userId: string): Promise<string[]> {
    await this.requireFactor(userId);
    const codes = await this.issue({ userId }, admin.userId);
    this.notifications.notify({ userId }, { type: 'backup_codes.regenerated', channel: 'backup_code' });
    return codes;
  }

  /** A new set replaces the old one; only hashes are stored, the codes are shown once. */
  async issue(subject: Partial<MfaSubject> & { userId: string }, actor?: string): Promise<string[]> {
    const { backupCodes, hasher, store, clock } = this.deps;
    const codes = backupCodes.generateSet();
    const hashed = await Promise.all(
      codes.map(async (code) => ({ id: randomUUID(), codeHash: await hasher.hash(backupCodes.normalize(code)!) })),
    );
    await store.replaceBackupCodes(subject.userId, hashed, clock.now());
    this.audit.record(subject, {
      type: 'backup_codes.issued',
      severity: 'warning',
      channel: 'backup_code',
      outcome: 'success',
      actor,
    });
    return codes;
  }

  private async requireFactor(userId: string): Promise<void> {
    const active = (await this.deps.store.listEnrollments(userId)).some((e) => e.status === 'active');
    if (!active) throw new MfaError('BACKUP_CODES_NEED_FACTOR');
  }
}
