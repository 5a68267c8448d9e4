import { randomBytes, randomUUID } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail';
import type { NotificationService } from '../delivery/notification.service';
import { normalizeDisplayText } from '../enrollment/factor-label';
import { MfaError } from '../errors/mfa.error';
import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RecoveryTicketStore } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { FactorRemoval } from './factor-removal';

/** Shown once to the admin, who hands it to the user out of band. */
export interface RecoveryTicketIssued {
  ticket: string;
  expiresAt: string;
}

type Deps = Pick<ResolvedMfaContext, 'clock' | 'keyRing'> & { store: RecoveryTicketStore };

/** The `reason` column's width. */
const MAX_REASON_LENGTH = 512;

/** Help-desk recovery: an admin issues a ticket, the signed-in user spends it to enroll anew. */
export class RecoveryTicketService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditTrail,
    private readonly removal: Pick<FactorRemoval, 'wipe'>,
    private readonly notifications: Pick<NotificationService, 'notify'>,
  ) {}

  /** A help-desk ticket: 128 random bits, single use, 24 h by default; only its digest is stored. */
  async issue(
    admin: MfaSubject,
    userId: string,
    rawReason: string | undefined,
    ttlHours = 24,
  ): Promise<RecoveryTicketIssued> {
    if (!Number.isInteger(ttlHours) || ttlHours < 1 || ttlHours > 72)
      throw new MfaError('VALIDATION_FAILED', { errors: [{ field: 'ttlHours', problems: ['from 1 to 72 hours'] }] });
    // The reason lands in the audit trail and help-desk views: the label rule keeps it one honest line.
    const reason = rawReason === undefined ? undefined : normalizeDisplayText(rawReason, 'reason', MAX_REASON_LENGTH);
    const now = this.deps.clock.now();
    const id = randomUUID();
    const secret = randomBytes(16).toString('base64url');
    const expiresAt = now + ttlHours * 3_600_000;
    await this.deps.store.createRecoveryTicket({
      id,
      userId,
      codeDigest: this.deps.keyRing.digest(ticketMaterial(id, userId, secret)),
      issuedBy: admin.userId,
      reason: reason ?? null,
      createdAt: now,
      expiresAt,
      redeemedAt: null,
    });
    this.audit.record(
      { userId },
      {
        type: 'recovery.ticket_issued',
        severity: 'critical',
        outcome: 'success',
        actor: admin.userId,
        reason: reason ?? undefined,
      },
    );
    this.notifications.notify({ userId }, { type: 'recovery.issued' });
    return { ticket: `${id}.${secret}`, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * The signed-in user spends a ticket issued for them: their lost factors, codes and
   * devices are removed, so they can enroll anew on their password alone.
   */
  async redeem(subject: MfaSubject, ticket: string): Promise<void> {
    const { store, clock, keyRing } = this.deps;
    const [id, secret] = ticket.split('.');
    const record = id && secret && id.length <= 64 ? await store.findRecoveryTicket(id) : null;
    const now = clock.now();
    // Unknown, foreign, forged, spent and expired tickets all look the same to the caller.
    const valid =
      record &&
      record.userId === subject.userId &&
      record.redeemedAt === null &&
      record.expiresAt > now &&
      keyRing.digestMatches(record.codeDigest, ticketMaterial(record.id, subject.userId, secret));
    if (!valid || !(await store.redeemRecoveryTicket(record.id, now))) {
      this.audit.record(subject, { type: 'recovery.ticket_refused', severity: 'high', outcome: 'refused' });
      throw new MfaError('RECOVERY_TICKET_INVALID');
    }
    await this.removal.wipe(subject, 'recovery');
    this.audit.record(subject, {
      type: 'recovery.ticket_redeemed',
      severity: 'critical',
      outcome: 'success',
      reason: `issued by ${record.issuedBy}`,
    });
    this.notifications.notify(subject, { type: 'recovery.redeemed' });
  }
}

function ticketMaterial(id: string, userId: string, secret: string): string {
  return `recovery|${id}|${userId}|${secret}`;
}
