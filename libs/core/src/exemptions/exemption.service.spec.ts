// Invariant: a grant is checked in one place (scope, rule, reason, at most 90 days), written,
// then audited with the admin and notified; an exemption is in force for its own user only,
// until the clock passes its end or it is revoked; a store without exemptions has none, and
// admin calls on it refuse with EXEMPTIONS_UNAVAILABLE.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import type { MfaError } from '../errors/mfa.error';
import { compilePolicy } from '../policy/compile-policy';
import type { AuditEvent } from '../ports/audit-sink.port';
import type { MfaNotification } from '../ports/notifier.port';
import type { ExemptionRecord, ExemptionStore } from '../ports/store/exemption.store';
import type { MfaStore } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import { ExemptionService } from './exemption.service';

const DAY = 86_400_000;

/** The exemption slice in memory, with the store's conditions. */
class ExemptionStoreFake implements ExemptionStore {
  readonly rows = new Map<string, ExemptionRecord>();
  async createExemption(r: ExemptionRecord) {
    this.rows.set(r.id, { ...r });
  }
  async findExemption(userId: string, id: string) {
    const r = this.rows.get(id);
    return r && r.userId === userId ? { ...r } : null;
  }
  async listExemptions(userId: string, limit: number) {
    return [...this.rows.values()]
      .filter((r) => r.userId === userId)
      .reverse()
      .slice(0, limit);
  }
  async listActiveExemptions(userId: string, now: number) {
    return [...this.rows.values()].filter((r) => r.userId === userId && r.revokedAt === null && r.expiresAt > now);
  }
  async revokeExemption(userId: string, id: string, now: number, revokedBy: string) {
    const r = this.rows.get(id);
    if (!r || r.userId !== userId || r.revokedAt !== null || r.expiresAt <= now) return false;
    Object.assign(r, { revokedAt: now, revokedBy });
    return true;
  }
}

const policy = compilePolicy(
  {
    rules: [
      { id: 'admins-totp', when: { groups: ['admins'] }, require: 'totp' },
      { id: 'embargo', when: { countries: ['KP'] }, deny: true },
    ],
    services: { payments: { require: 'totp' } },
  },
  1,
);
const admin: MfaSubject = { userId: 'u-admin', sessionId: 's-admin' };
const reason = 'phone lost abroad, ticket #4711';

function world(store: unknown = new ExemptionStoreFake()) {
  const clock = new ManualClock(1_765_000_000_000);
  const events: AuditEvent[] = [];
  const notices: Array<Omit<MfaNotification, 'userId' | 'at'> & { userId: string }> = [];
  const service = new ExemptionService(
    { store: store as MfaStore, clock },
    new AuditTrail({ emit: (e) => void events.push(e) }, clock),
    { isLoaded: true, init: async () => undefined, current: () => policy },
    { notify: (who, n) => void notices.push({ ...n, userId: who.userId }) },
  );
  return { clock, events, notices, service };
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: MfaError) => e,
  );

describe('ExemptionService', () => {
  it('grants, audits with the admin and notifies the user, after the write', async () => {
    const { service, events, notices, clock } = world();
    const view = await service.grant(admin, 'u-bob', { scope: 'rule', ruleId: 'admins-totp', reason, days: 7 });
    expect(view).toMatchObject({ userId: 'u-bob', scope: 'rule', ruleId: 'admins-totp', grantedBy: 'u-admin' });
    expect(view.expiresAt).toBe(new Date(clock.now() + 7 * DAY).toISOString());
    expect(events).toEqual([
      expect.objectContaining({ type: 'exemption.granted', userId: 'u-bob', actor: 'u-admin', ruleId: 'admins-totp' }),
    ]);
    expect(events[0].reason).toBe(`policy rule admins-totp until ${view.expiresAt} (as in policy v1): ${reason}`);
    expect(notices).toEqual([
      { type: 'exemption.granted', userId: 'u-bob', detail: `policy rule admins-totp until ${view.expiresAt}` },
    ]);
  });

  it.each([
    ['past 90 days', { scope: 'enrollment', reason, days: 91 }, 'days'],
    ['no time box', { scope: 'enrollment', reason }, 'days'],
    ['both days and an end', { scope: 'enrollment', reason, days: 1, expiresAt: 1 }, 'days'],
    ['an end in the past', { scope: 'enrollment', reason, expiresAt: 1 }, 'expiresAt'],
    ['an end past 90 days', { scope: 'enrollment', reason, expiresAt: 1_765_000_000_000 + 90 * DAY + 1 }, 'expiresAt'],
    ['no reason', { scope: 'enrollment', days: 1 }, 'reason'],
    ['an overlong reason', { scope: 'enrollment', reason: 'x'.repeat(513), days: 1 }, 'reason'],
    ['a forged line in the reason', { scope: 'enrollment', reason: 'ok\nexemption.revoked', days: 1 }, 'reason'],
    ['an unknown scope', { scope: 'all', reason, days: 1 }, 'scope'],
    ['a rule scope with no rule', { scope: 'rule', reason, days: 1 }, 'ruleId'],
    ['a rule not in the policy', { scope: 'rule', ruleId: 'nope', reason, days: 1 }, 'ruleId'],
    ['a deny rule', { scope: 'rule', ruleId: 'embargo', reason, days: 1 }, 'ruleId'],
    ['a service, not a rule', { scope: 'rule', ruleId: 'payments', reason, days: 1 }, 'ruleId'],
    ['a rule on an enrollment exemption', { scope: 'enrollment', ruleId: 'admins-totp', reason, days: 1 }, 'ruleId'],
  ])('refuses %s, and writes, audits and notifies nothing', async (_label, input, field) => {
    const store = new ExemptionStoreFake();
    const { service, events, notices } = world(store);
    const err = await refusal(service.grant(admin, 'u-bob', input as never));
    expect(err?.code).toBe('VALIDATION_FAILED');
    expect((err?.details as { errors: Array<{ field: string }> }).errors[0].field).toBe(field);
    expect([store.rows.size, events.length, notices.length]).toEqual([0, 0, 0]);
  });

  it('accepts exactly 90 days', async () => {
    const { service, clock } = world();
    await expect(
      service.grant(admin, 'u-bob', { scope: 'enrollment', reason, expiresAt: clock.now() + 90 * DAY }),
    ).resolves.toMatchObject({ status: 'active' });
  });

  it('is in force for its own user only, until its end passes on the clock', async () => {
    const { service, clock } = world();
    await service.grant(admin, 'u-bob', { scope: 'enrollment', reason, days: 2 });
    const longer = await service.grant(admin, 'u-bob', { scope: 'enrollment', reason, days: 3 });
    expect(await service.enrollment('u-alice', clock.now())).toBeUndefined();
    expect((await service.enrollment('u-bob', clock.now()))?.id).toBe(longer.id); // the longest running is named
    clock.advance(3 * 86_400 - 1);
    expect(await service.enrollment('u-bob', clock.now())).toBeDefined();
    clock.advance(1);
    expect(await service.enrollment('u-bob', clock.now())).toBeUndefined();
    expect((await service.list('u-bob')).map((e) => e.status)).toEqual(['expired', 'expired']);
  });

  it('revokes once, for the right user, audited and notified; an ended one is not found', async () => {
    const { service, events, notices, clock } = world();
    const granted = await service.grant(admin, 'u-bob', { scope: 'enrollment', reason, days: 5 });
    expect((await refusal(service.revoke(admin, 'u-alice', granted.id)))?.code).toBe('EXEMPTION_NOT_FOUND');
    const revoked = await service.revoke(admin, 'u-bob', granted.id);
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: 'u-admin' });
    expect(await service.active('u-bob', clock.now())).toEqual([]);
    expect((await refusal(service.revoke(admin, 'u-bob', granted.id)))?.code).toBe('EXEMPTION_NOT_FOUND');
    expect((await refusal(service.revoke(admin, 'u-bob', 'x'.repeat(65))))?.code).toBe('EXEMPTION_NOT_FOUND');
    expect(events.map((e) => e.type)).toEqual(['exemption.granted', 'exemption.revoked']);
    expect(events[1]).toMatchObject({ actor: 'u-admin', userId: 'u-bob' });
    expect(notices.map((n) => n.type)).toEqual(['exemption.granted', 'exemption.ended']);
  });

  it('with a store that keeps none: no exemptions apply, and admin calls refuse clearly', async () => {
    const { service, clock } = world({ listEnrollments: async () => [] });
    expect(service.available).toBe(false);
    expect(await service.active('u-bob', clock.now())).toEqual([]);
    expect(await service.enrollment('u-bob', clock.now())).toBeUndefined();
    expect(service.couldLift(policy, 'admins-totp', 'payments')).toBe(false);
    for (const call of [
      service.grant(admin, 'u-bob', { scope: 'enrollment', reason, days: 1 }),
      service.list('u-bob'),
      service.revoke(admin, 'u-bob', 'x'),
    ])
      expect((await refusal(call))?.code).toBe('EXEMPTIONS_UNAVAILABLE');
  });

  it("could lift only a document rule that requires a factor, and never on the mfa service's own routes", () => {
    const { service } = world();
    expect(service.couldLift(policy, 'admins-totp', 'payments')).toBe(true);
    expect(service.couldLift(policy, 'admins-totp', undefined)).toBe(true);
    expect(service.couldLift(policy, 'admins-totp', 'mfa')).toBe(false);
    expect(service.couldLift(policy, 'embargo', 'payments')).toBe(false);
    expect(service.couldLift(policy, 'payments', 'payments')).toBe(false);
    expect(service.couldLift(policy, 'route', 'payments')).toBe(false);
  });
});
