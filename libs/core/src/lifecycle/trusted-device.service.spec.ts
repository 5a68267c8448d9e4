// Invariant: a trusted-device cookie stands in for MFA only for its own user, from the same
// kind of browser, while live; the store never holds the token, and a mismatch revokes.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import type { AuditEvent } from '../ports/audit-sink.port';
import type { TrustedDeviceRecord, TrustedDeviceStore } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import { createMfaContext } from '../engine/compose';
import type { NotificationService } from '../delivery/notification.service';
import type { PolicyService } from '../policy/policy.service';
import { TrustedDeviceService } from './trusted-device.service';

/** The trusted-device slice of MfaStore, in memory. */
class DeviceStoreFake implements TrustedDeviceStore {
  readonly rows = new Map<string, TrustedDeviceRecord>();
  touches = 0;
  async createTrustedDevice(r: TrustedDeviceRecord) {
    this.rows.set(r.id, { ...r });
  }
  async findTrustedDevice(id: string) {
    const row = this.rows.get(id);
    return row ? { ...row } : null;
  }
  async listTrustedDevices(userId: string) {
    return [...this.rows.values()].filter((d) => d.userId === userId).map((d) => ({ ...d }));
  }
  async touchTrustedDevice(id: string, now: number) {
    this.touches++;
    this.rows.get(id)!.lastSeenAt = now;
  }
  async revokeTrustedDevice(userId: string, id: string, now: number, reason: string) {
    const row = this.rows.get(id);
    if (!row || row.userId !== userId || row.revokedAt !== null) return false;
    Object.assign(row, { revokedAt: now, revokedReason: reason });
    return true;
  }
  async revokeTrustedDevices(userId: string, now: number, reason: string) {
    const live = [...this.rows.values()].filter((row) => row.userId === userId && row.revokedAt === null);
    for (const row of live) Object.assign(row, { revokedAt: now, revokedReason: reason });
    return live.length;
  }
}

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const DAY = 86_400_000;

function setup(devices: { remember?: boolean; trustMs?: number; revokeAtRisk?: number | null } = {}) {
  const clock = new ManualClock();
  const store = new DeviceStoreFake();
  const events: AuditEvent[] = [];
  const notices: string[] = [];
  // ResolvedMfaContext still asks for the whole MfaStore; this service only touches the device slice.
  const ctx = createMfaContext({
    store: store as never,
    encryption: { keys: [{ id: 'k', key: Buffer.alloc(32, 7).toString('base64') }] },
    clock,
  });
  const policy = {
    current: () => ({ devices: { remember: true, trustMs: 30 * DAY, revokeAtRisk: null, ...devices } }),
  } as unknown as PolicyService;
  const notifications = {
    notify: (_who: unknown, n: { type: string }) => notices.push(n.type),
  } as unknown as NotificationService;
  const service = new TrustedDeviceService(
    ctx,
    new AuditTrail({ emit: (e) => void events.push(e) }, clock),
    policy,
    notifications,
  );
  return { clock, store, events, notices, service };
}

const alice: MfaSubject = { userId: 'alice', sessionId: 's-1', userAgent: FIREFOX };

describe('TrustedDeviceService', () => {
  it('trusts the browser that asked and keeps only digests of its token', async () => {
    const { store, service, notices } = setup();
    const issued = (await service.issue(alice))!;
    const [id, token] = issued.cookieValue.split('.');
    const row = store.rows.get(id)!;
    expect(JSON.stringify(row)).not.toContain(token);
    expect(issued.maxAgeSeconds).toBe(30 * 86_400);
    expect(await service.check(alice, issued.cookieValue, {})).toBe(true);
    expect(notices).toEqual(['device.trusted']);
  });

  it('issues nothing when the policy does not let users remember browsers', async () => {
    const { store, service } = setup({ remember: false });
    expect(await service.issue(alice)).toBeNull();
    expect(store.rows.size).toBe(0);
  });

  it.each([
    ['another user', (cookie: string) => [{ ...alice, userId: 'mallory' }, cookie] as const],
    ['a forged token', (cookie: string) => [alice, `${cookie.split('.')[0]}.${'A'.repeat(43)}`] as const],
    ['an unknown id', () => [alice, 'nope.token'] as const],
  ])('refuses %s, without revoking the device', async (_case, present) => {
    const { store, service, events } = setup();
    const issued = (await service.issue(alice))!;
    const [subject, cookie] = present(issued.cookieValue);
    expect(await service.check(subject, cookie, {})).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'device.rejected', reason: 'unknown or forged device token' });
    expect([...store.rows.values()][0].revokedAt).toBeNull();
  });

  it('refuses an expired device', async () => {
    const { clock, service } = setup({ trustMs: DAY });
    const issued = (await service.issue(alice))!;
    clock.advance(86_399);
    expect(await service.check(alice, issued.cookieValue, {})).toBe(true);
    clock.advance(1);
    expect(await service.check(alice, issued.cookieValue, {})).toBe(false);
  });

  it('revokes a device presented from another kind of browser, for good', async () => {
    const { store, service } = setup();
    const issued = (await service.issue(alice))!;
    expect(await service.check({ ...alice, userAgent: CHROME_MAC }, issued.cookieValue, {})).toBe(false);
    expect([...store.rows.values()][0].revokedReason).toBe('fingerprint');
    expect(await service.check(alice, issued.cookieValue, {})).toBe(false);
  });

  it('revokes a device on a request at or above the policy risk threshold', async () => {
    const { store, service } = setup({ revokeAtRisk: 0.8 });
    const issued = (await service.issue(alice))!;
    expect(await service.check(alice, issued.cookieValue, { risk: 0.5 })).toBe(true);
    expect(await service.check(alice, issued.cookieValue, { risk: 0.8 })).toBe(false);
    expect([...store.rows.values()][0].revokedReason).toBe('risk');
  });

  it('writes last-seen at most once an hour', async () => {
    const { clock, store, service } = setup();
    const issued = (await service.issue(alice))!;
    clock.advance(59 * 60); // ManualClock counts seconds
    await service.check(alice, issued.cookieValue, {});
    expect(store.touches).toBe(0);
    clock.advance(60);
    await service.check(alice, issued.cookieValue, {});
    expect(store.touches).toBe(1);
  });

  it('lists only live devices and marks the one this request comes from', async () => {
    const { clock, service } = setup();
    const first = (await service.issue(alice))!;
    clock.advance(1);
    const second = (await service.issue(alice))!;
    clock.advance(1);
    const third = (await service.issue(alice))!;
    await service.revoke(alice, third.device.id, 'user');
    const listed = await service.list('alice', second.cookieValue);
    expect(listed.map((d) => [d.id, d.current ?? false])).toEqual([
      [first.device.id, false],
      [second.device.id, true],
    ]);
  });

  it("never revokes another user's device, and revokes all of one user's at once", async () => {
    const { service, notices } = setup();
    const issued = (await service.issue(alice))!;
    await service.issue(alice);
    expect(await service.revoke({ userId: 'mallory' }, issued.device.id, 'user')).toBe(false);
    expect(await service.revokeAll({ userId: 'alice' }, 'password-change')).toBe(2);
    expect(await service.revokeAll({ userId: 'alice' }, 'password-change')).toBe(0);
    expect(notices.filter((n) => n === 'device.revoked')).toHaveLength(1);
  });
});
