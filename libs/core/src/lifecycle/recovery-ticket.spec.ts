// Invariant: a recovery ticket is spent once, only by the user it was issued for, before it
// expires; only then do that user's factors, backup codes, devices and verifications go.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import type { AuditEvent } from '../ports/audit-sink.port';
import type {
  BackupCodeStore,
  EnrollmentRecord,
  EnrollmentStore,
  FactorType,
  RecoveryTicketRecord,
  RecoveryTicketStore,
  SessionStore,
} from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { NotificationService } from '../delivery/notification.service';
import { KeyRing } from '../crypto/key-ring';
import { SessionStateCache } from '../enforcement/session-state.cache';
import { FactorRemoval } from './factor-removal';
import { RecoveryTicketService } from './recovery-ticket.service';
import type { TrustedDeviceService } from './trusted-device.service';

type RecoverySlice = RecoveryTicketStore &
  Pick<EnrollmentStore, 'listEnrollments' | 'deleteEnrollment'> &
  Pick<BackupCodeStore, 'replaceBackupCodes'> &
  Pick<SessionStore, 'deleteSessionFactors'>;

/** What a recovery reads and wipes, in memory. */
class RecoveryStoreFake implements RecoverySlice {
  readonly tickets = new Map<string, RecoveryTicketRecord>();
  enrollments: EnrollmentRecord[] = [];
  backupCodesCleared: string[] = [];
  sessionsForgotten: string[] = [];
  async createRecoveryTicket(r: RecoveryTicketRecord) {
    this.tickets.set(r.id, { ...r });
  }
  async findRecoveryTicket(id: string) {
    const t = this.tickets.get(id);
    return t ? { ...t } : null;
  }
  async redeemRecoveryTicket(id: string, now: number) {
    const t = this.tickets.get(id);
    if (!t || t.redeemedAt !== null || t.expiresAt <= now) return false;
    t.redeemedAt = now;
    return true;
  }
  async listEnrollments(userId: string) {
    return this.enrollments.filter((e) => e.userId === userId);
  }
  async deleteEnrollment(userId: string, id: string) {
    const before = this.enrollments.length;
    this.enrollments = this.enrollments.filter((e) => !(e.userId === userId && e.id === id));
    return this.enrollments.length < before;
  }
  async replaceBackupCodes(userId: string, codes: unknown[]) {
    if (codes.length === 0) this.backupCodesCleared.push(userId);
  }
  async deleteSessionFactors(userId: string, factor?: FactorType) {
    this.sessionsForgotten.push(factor ? `${userId}:${factor}` : userId);
  }
}

const admin: MfaSubject = { userId: 'helpdesk', sessionId: 'admin-session' };
const alice: MfaSubject = { userId: 'alice', sessionId: 'alice-session' };

function totp(id: string, userId: string): EnrollmentRecord {
  return {
    id,
    userId,
    type: 'totp',
    status: 'active',
    label: null,
    sealedSecret: 'x',
    keyId: 'k',
    profile: null,
    maskedTarget: null,
    lastStep: null,
    createdAt: 0,
    confirmedAt: 0,
    lastUsedAt: null,
  };
}

function setup() {
  const clock = new ManualClock();
  const store = new RecoveryStoreFake();
  store.enrollments = [totp('a-1', 'alice'), totp('b-1', 'bob')];
  const events: AuditEvent[] = [];
  const revoked: string[] = [];
  const deps = {
    store,
    clock,
    keyRing: new KeyRing({ keys: [{ id: 'k', key: Buffer.alloc(32, 3).toString('base64') }] }),
    sessionCache: new SessionStateCache(0, clock),
  };
  const devices = {
    revokeAll: async (who: { userId: string }) => {
      revoked.push(who.userId);
      return 1;
    },
  } as unknown as TrustedDeviceService;
  const notifications = { notify: () => undefined } as unknown as NotificationService;
  const audit = new AuditTrail({ emit: (e) => void events.push(e) }, clock);
  const recovery = new RecoveryTicketService(
    deps,
    audit,
    new FactorRemoval(deps, audit, devices, notifications),
    notifications,
  );
  return { clock, store, events, revoked, recovery };
}

const refused = expect.objectContaining({ code: 'RECOVERY_TICKET_INVALID' });

describe('RecoveryTicketService', () => {
  it("wipes only the holder's factors, codes, devices and verifications, and only once", async () => {
    const { store, revoked, recovery, events } = setup();
    const { ticket } = await recovery.issue(admin, 'alice', 'lost phone');
    expect(JSON.stringify([...store.tickets.values()])).not.toContain(ticket.split('.')[1]);

    await recovery.redeem(alice, ticket);
    expect(store.enrollments.map((e) => e.id)).toEqual(['b-1']);
    expect(store.backupCodesCleared).toEqual(['alice']);
    expect(store.sessionsForgotten).toEqual(['alice']);
    expect(revoked).toEqual(['alice']);
    expect(events.at(-1)).toMatchObject({
      type: 'recovery.ticket_redeemed',
      userId: 'alice',
      reason: 'issued by helpdesk',
    });

    await expect(recovery.redeem(alice, ticket)).rejects.toEqual(refused);
  });

  it.each([
    ['by another user', (ticket: string) => [{ ...alice, userId: 'bob' }, ticket] as const, 0],
    ['with a forged secret', (ticket: string) => [alice, `${ticket.split('.')[0]}.${'A'.repeat(22)}`] as const, 0],
    ['after it expired', (ticket: string) => [alice, ticket] as const, 24 * 3600],
    ['malformed', () => [alice, 'no-dot'] as const, 0],
  ])('refuses a ticket presented %s, and wipes nothing', async (_case, present, later) => {
    const { clock, store, revoked, recovery, events } = setup();
    const { ticket } = await recovery.issue(admin, 'alice', undefined);
    clock.advance(later);
    const [subject, presented] = present(ticket);
    await expect(recovery.redeem(subject, presented)).rejects.toEqual(refused);
    expect(store.enrollments).toHaveLength(2);
    expect(revoked).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'recovery.ticket_refused' });
  });

  it('lets exactly one of two racing redemptions through', async () => {
    const { recovery } = setup();
    const { ticket } = await recovery.issue(admin, 'alice', undefined);
    const results = await Promise.allSettled([recovery.redeem(alice, ticket), recovery.redeem(alice, ticket)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it.each([0, 73, 1.5])('refuses a lifetime of %s hours', async (hours) => {
    const { store, recovery } = setup();
    await expect(recovery.issue(admin, 'alice', undefined, hours)).rejects.toEqual(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(store.tickets.size).toBe(0);
  });
});
