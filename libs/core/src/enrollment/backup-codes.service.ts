import { randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import type { Reauthentication } from '../enforcement/reauthentication';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';

type Deps = Pick<ResolvedMfaContext, 'store' | 'clock' | 'backupCodes' | 'hasher'>;

/** At or below this many unused codes after a spend, the user is told to make a new set. */
export const BACKUP_CODES_LOW_AT = 2;

/**
 * The notice a spend that left `left` codes earns: one per spend from 2 down to 0, so the
 * user hears at 2, at 1 and at 0 (a spend lowers the count by exactly one; regeneration
 * starts over). `left` is what the spend already read, so this costs no query.
 */
export function lowBackupCodesNotice(
  left: number,
): { type: 'backup_codes.low'; channel: 'backup_code'; detail: string } | null {
  return left <= BACKUP_CODES_LOW_AT
    ? { type: 'backup_codes.low', channel: 'backup_code', detail: String(Math.max(left, 0)) }
    : null;
}

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
