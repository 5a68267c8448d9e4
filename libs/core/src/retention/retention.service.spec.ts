// Invariant: a retention run prunes only rows dead for longer than the grace (audit events
// only past `auditRetentionDays`, sessions only past `sessionDays`), in batches no larger
// than `batchSize` and no more of them than the per-run cap; it never overlaps itself, never
// throws, audits one summary when it pruned anything, and stops with the engine.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import type { AuditEvent } from '../ports/audit-sink.port';
import { resolveRetention, RetentionOptions } from './retention.options';
import { RetentionKind, RetentionStore } from './retention.port';
import { RETENTION_GRACE_MS, RetentionDeps, RetentionService } from './retention.service';

const DAY = 86_400_000;

/** Rows per kind, each with the instant it died; pruneExpired deletes those dead before the cutoff. */
class MemoryRetentionStore implements RetentionStore {
  rows = new Map<RetentionKind, number[]>();
  calls: Array<{ kind: RetentionKind; before: number; limit: number }> = [];
  failOn?: RetentionKind;
  gate?: Promise<void>;

  add(kind: RetentionKind, diedAt: number, n = 1): void {
    this.rows.set(kind, [...(this.rows.get(kind) ?? []), ...Array<number>(n).fill(diedAt)]);
  }

  async pruneExpired(kind: RetentionKind, before: number, limit: number): Promise<number> {
    this.calls.push({ kind, before, limit });
    await this.gate;
    if (kind === this.failOn) throw new TypeError('store down');
    const rows = this.rows.get(kind) ?? [];
    const dead = rows.filter((at) => at < before).slice(0, limit);
    let left = dead.length;
    this.rows.set(
      kind,
      rows.filter((at) => !(at < before && left-- > 0)),
    );
    return dead.length;
  }
}

function setup(options: RetentionOptions = {}, deps: Partial<RetentionDeps> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const store = new MemoryRetentionStore();
  const events: AuditEvent[] = [];
  const service = new RetentionService({
    store,
    audit: new AuditTrail({ emit: (e) => void events.push(e) }, clock),
    clock,
    options: resolveRetention(options),
    ...deps,
  });
  return { clock, store, events, service };
}

beforeEach(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
afterEach(() => jest.restoreAllMocks());

describe('RetentionService', () => {
  it('prunes rows dead for longer than the grace, keeps the rest, and audits one summary', async () => {
    const { clock, store, events, service } = setup();
    const now = clock.now();
    store.add('challenges', now - RETENTION_GRACE_MS - 1, 3);
    store.add('challenges', now - RETENTION_GRACE_MS + 1000, 2); // dead, but within the grace
    store.add('otpCodes', now - DAY, 4);
    store.add('grants', now + 60_000); // still live

    const counts = await service.runOnce();

    expect(counts).toMatchObject({ challenges: 3, otpCodes: 4, grants: 0 });
    expect(store.rows.get('challenges')).toHaveLength(2);
    expect(store.rows.get('grants')).toHaveLength(1);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'retention.pruned',
        actor: 'retention',
        outcome: 'success',
        reason: 'challenges=3 otpCodes=4',
      }),
    ]);
  });

  it('audits nothing when nothing was pruned', async () => {
    const { events, service } = setup();
    await service.runOnce();
    expect(events).toEqual([]);
  });

  it('keeps audit events forever unless auditRetentionDays is set, then prunes past it', async () => {
    const kept = setup();
    await kept.service.runOnce();
    expect(kept.store.calls.map((c) => c.kind)).not.toContain('auditEvents');

    const { clock, store, service } = setup({ auditRetentionDays: 90 });
    store.add('auditEvents', clock.now() - 91 * DAY, 2);
    store.add('auditEvents', clock.now() - 89 * DAY, 1);
    expect(await service.runOnce()).toMatchObject({ auditEvents: 2 });
    expect(store.calls.find((c) => c.kind === 'auditEvents')!.before).toBe(clock.now() - 90 * DAY);
  });

  it('asks only for sessions older than sessionDays plus the grace', async () => {
    const { clock, store, service } = setup({ sessionDays: 7 });
    await service.runOnce();
    const call = store.calls.find((c) => c.kind === 'sessionVerifications')!;
    expect(call.before).toBe(clock.now() - 7 * DAY - RETENTION_GRACE_MS);
  });

  it('deletes in batches of batchSize until one comes back short', async () => {
    const { clock, store, service } = setup({ batchSize: 500 });
    store.add('grants', clock.now() - DAY, 1200);
    expect(await service.runOnce()).toMatchObject({ grants: 1200 });
    expect(store.calls.filter((c) => c.kind === 'grants').map((c) => c.limit)).toEqual([500, 500, 500]);
  });

  it('caps batches per run, leaving the rest to the next run', async () => {
    const { clock, store, service } = setup({ batchSize: 10, maxBatchesPerRun: 2 });
    store.add('trustedDevices', clock.now() - DAY, 35);
    expect(await service.runOnce()).toMatchObject({ trustedDevices: 20 });
    expect(await service.runOnce()).toMatchObject({ trustedDevices: 15 });
  });

  it('prunes risk profiles through the risk engine, in the same batches', async () => {
    const prune = jest.fn().mockResolvedValueOnce(3).mockResolvedValue(0);
    const { service } = setup({ batchSize: 3 }, { pruneRiskProfiles: prune });
    expect(await service.runOnce()).toMatchObject({ riskProfiles: 3 });
    expect(prune.mock.calls).toEqual([[3], [3]]);
  });

  it('audits a failing kind, goes on with the others, and never throws', async () => {
    const { clock, store, events, service } = setup();
    store.failOn = 'otpCodes';
    store.add('grants', clock.now() - DAY, 2);
    await expect(service.runOnce()).resolves.toMatchObject({ otpCodes: 0, grants: 2 });
    expect(events.map((e) => [e.type, e.reason])).toEqual([
      ['retention.failed', 'otpCodes: TypeError'],
      ['retention.pruned', 'grants=2'],
    ]);
  });

  it('never runs twice at once: a second call joins the run in progress', async () => {
    const { store, service } = setup();
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const first = service.runOnce();
    const second = service.runOnce();
    expect(second).toBe(first);
    open();
    await Promise.all([first, second]);
    expect(store.calls.filter((c) => c.kind === 'challenges')).toHaveLength(1);
  });

  it('runs on an unref’d timer, schedules the next run after the last ended, and stops', async () => {
    const pending: Array<{ run: () => void; ms: number; unref: jest.Mock }> = [];
    const timers = {
      setTimeout: ((run: () => void, ms: number) => {
        const timer = { run, ms, unref: jest.fn() };
        pending.push(timer);
        return timer;
      }) as unknown as typeof setTimeout,
      clearTimeout: jest.fn() as unknown as typeof clearTimeout,
    };
    const { store, service } = setup({ intervalSeconds: 600 }, { timers, random: () => 0.5 });
    service.start();
    service.start(); // idempotent
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ ms: 30_000 }); // first run: half of a tenth of the interval
    expect(pending[0].unref).toHaveBeenCalled();

    pending[0].run();
    await service.runOnce(); // joins the timer's run
    await Promise.resolve();
    expect(store.calls.length).toBeGreaterThan(0);
    expect(pending).toHaveLength(2); // the next run, scheduled once this one ended
    expect(pending[1]).toMatchObject({ ms: 600_000 });

    await service.stop();
    expect(timers.clearTimeout).toHaveBeenCalledWith(pending[1]);
    service.start(); // a stopped service stays stopped
    expect(pending).toHaveLength(2);
  });

  function fakeTimers() {
    const pending: Array<{ run: () => void; ms: number }> = [];
    const timers = {
      setTimeout: ((run: () => void, ms: number) => {
        const timer = { run, ms };
        pending.push(timer);
        return timer;
      }) as unknown as typeof setTimeout,
      clearTimeout: jest.fn() as unknown as typeof clearTimeout,
    };
    return { pending, timers };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it.each([
    [3600, 0, 5_000], // at least a few seconds after boot
    [3600, 0.999, 359_640], // at most a tenth of the interval
    [2, 0.5, 2_000], // never longer than the interval itself
  ])('first run after a jitter: interval %ss, random %p → %pms', (intervalSeconds, r, ms) => {
    const { pending, timers } = fakeTimers();
    setup({ intervalSeconds }, { timers, random: () => r }).service.start();
    expect(pending.map((p) => p.ms)).toEqual([ms]);
  });

  it('a run that rejects is reported and the next one is still scheduled', async () => {
    const { pending, timers } = fakeTimers();
    const { service } = setup({ intervalSeconds: 60 }, { timers, random: () => 0 });
    jest.spyOn(service, 'runOnce').mockRejectedValueOnce(new RangeError('boom'));
    service.start();
    pending[0].run();
    await settle();
    expect(process.stderr.write).toHaveBeenCalledWith(expect.stringContaining('retention run failed: RangeError'));
    expect(pending.map((p) => p.ms)).toEqual([5_000, 60_000]);
  });

  it('keeps session verifications as long as the policy’s longest maxAge when it exceeds sessionDays', async () => {
    let maxAge = 40 * 86_400;
    const { clock, store, service } = setup({ sessionDays: 7 }, { policyMaxAgeSeconds: () => maxAge });
    await service.runOnce();
    expect(store.calls.find((c) => c.kind === 'sessionVerifications')!.before).toBe(
      clock.now() - 40 * DAY - RETENTION_GRACE_MS,
    );
    maxAge = 300; // shorter than sessionDays: sessionDays rules
    store.calls = [];
    await service.runOnce();
    expect(store.calls.find((c) => c.kind === 'sessionVerifications')!.before).toBe(
      clock.now() - 7 * DAY - RETENTION_GRACE_MS,
    );
  });

  it('a run stopped by shutdown writes its summary to stderr, not to the closing audit sink', async () => {
    const { clock, store, events, service } = setup({ batchSize: 1 });
    store.add('challenges', clock.now() - DAY, 3);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const run = service.runOnce();
    const stopped = service.stop();
    open();
    await stopped;
    await run;
    expect(events).toEqual([]);
    expect(process.stderr.write).toHaveBeenCalledWith(
      expect.stringContaining('retention pruned challenges=1 (stopped)'),
    );
  });

  it('stop() lets a run in progress end at its next batch', async () => {
    const { clock, store, service } = setup({ batchSize: 1 });
    store.add('challenges', clock.now() - DAY, 5);
    let open!: () => void;
    store.gate = new Promise((resolve) => (open = resolve));
    const run = service.runOnce();
    const stopped = service.stop();
    open();
    await stopped;
    expect((await run).challenges).toBe(1);
  });

  it('does not schedule when disabled', () => {
    const setTimeout = jest.fn();
    const { service } = setup(
      { enabled: false },
      { timers: { setTimeout: setTimeout as never, clearTimeout: jest.fn() as never } },
    );
    service.start();
    expect(setTimeout).not.toHaveBeenCalled();
  });
});
