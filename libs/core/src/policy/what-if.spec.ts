// Invariant: a what-if replays the recorded decisions of its window and nothing else, reads the
// trail in bounded pages, refuses a window it may not read, and says plainly what it could not see.
import type { AuditEvent, AuditPage, AuditQuery, AuditReader } from '../ports/audit-sink.port';
import { compilePolicy } from './compile-policy';
import type { Evidence } from './decide';
import { replayOf } from './decision-replay';
import type { MfaTarget } from './request-context';
import { whatIf, WHAT_IF_LIMITS } from './what-if';

const T0 = Date.UTC(2026, 2, 1);
const HOUR = 3_600_000;

/** The audit query port over an array: newest first, `limit` per page, a cursor of the last index. */
class ReaderFake implements AuditReader {
  readonly queries: AuditQuery[] = [];
  constructor(private readonly events: Array<AuditEvent & { id: string }>) {}
  async query(q: AuditQuery): Promise<AuditPage> {
    this.queries.push(q);
    const matching = this.events
      .filter((e) => e.type === q.type && e.at >= (q.from ?? -Infinity) && e.at < (q.to ?? Infinity))
      .sort((a, b) => b.at - a.at);
    const start = q.cursor ? Number(q.cursor) : 0;
    const limit = q.limit ?? 50;
    const page = matching.slice(start, start + limit);
    return { events: page, nextCursor: start + limit < matching.length ? String(start + limit) : null };
  }
}

let seq = 0;
function decision(
  type: string,
  at: number,
  userId: string,
  target: MfaTarget,
  verified: Evidence['verified'] = [],
  groups: string[] = [],
  riskScored = true,
): AuditEvent & { id: string } {
  const evidence: Evidence = { userId, groups, verified, grants: [] };
  const replay = replayOf(target, {}, evidence, at, { riskScored });
  return { id: `ev-${++seq}`, type, at, severity: 'info', userId, replay };
}

const transfer = { service: 'payments', operation: 'transfer', route: 'POST /payments/transfer' };
const wiki = { route: 'GET /wiki', service: 'wiki' };
const totpAgo = (at: number, s: number) => [{ factor: 'totp' as const, verifiedAt: at - s * 1000, eventId: 'v' }];

// What happened under version 1: payments need any factor once per session.
const EVENTS = [
  decision('challenge.issued', T0 + 1 * HOUR, 'u-alice', transfer),
  decision('challenge.issued', T0 + 2 * HOUR, 'u-bob', transfer),
  decision('decision.allowed', T0 + 3 * HOUR, 'u-alice', transfer, totpAgo(T0 + 3 * HOUR, 600)),
  decision('decision.allowed', T0 + 4 * HOUR, 'u-alice', transfer, totpAgo(T0 + 4 * HOUR, 30)),
  decision('decision.allowed', T0 + 5 * HOUR, 'u-bob', wiki),
  decision('decision.denied', T0 + 6 * HOUR, 'u-carol', { ...transfer, route: undefined }, [], ['contractors']),
  { id: 'old-1', type: 'challenge.issued', at: T0 + 7 * HOUR, severity: 'info' as const, userId: 'u-dave' },
  decision('challenge.issued', T0 + 50 * HOUR, 'u-erin', transfer), // outside the window
];

// The candidate: transfers need TOTP within 5 minutes; contractors are no longer denied.
const CANDIDATE = compilePolicy(
  {
    services: { payments: { operations: { transfer: { require: { factor: 'totp', maxAge: 300 } } } } },
  },
  2,
);
const window = { from: T0, to: T0 + 24 * HOUR };

describe('whatIf', () => {
  it('counts who and where a candidate would have decided differently, and why', async () => {
    const result = await whatIf(new ReaderFake(EVENTS), CANDIDATE, window);
    expect(result).toMatchObject({
      candidate: { version: 2, contentHash: CANDIDATE.contentHash },
      window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' },
      changed: 2,
      wouldChallenge: 2,
      wouldAllow: 0,
      wouldDeny: 0,
      topUsers: [
        { userId: 'u-alice', count: 1 },
        { userId: 'u-carol', count: 1 },
      ],
      topRoutes: [
        { route: 'POST /payments/transfer', count: 1 },
        { route: 'service payments / operation transfer', count: 1 },
      ],
      topRules: [{ ruleId: 'operation:payments/transfer', count: 2 }],
    });
    expect(result.transitions).toEqual(
      expect.arrayContaining([
        { from: 'allow', to: 'challenge', count: 1 },
        { from: 'deny', to: 'challenge', count: 1 },
      ]),
    );
    expect(result.coverage).toMatchObject({
      eventsRead: 7,
      replayed: 6,
      notReplayable: 1,
      byType: { 'challenge.issued': 3, 'decision.denied': 1, 'decision.allowed': 3 },
      allowedAudited: true,
    });
    expect(result.coverage.notes.join(' ')).toMatch(/1 decision events carry no replay record/);
    const stale = result.samples.find((s) => s.happened === 'allow');
    expect(stale).toMatchObject({ userId: 'u-alice', wouldHave: 'challenge', route: 'POST /payments/transfer' });
    expect(stale!.reasons.at(-1)).toMatch(/needs a verification within 300s/);
  });

  it('says so when allowed requests were never audited', async () => {
    const refusals = EVENTS.filter((e) => e.type !== 'decision.allowed');
    const result = await whatIf(new ReaderFake(refusals), CANDIDATE, window);
    expect(result.coverage.allowedAudited).toBe(false);
    expect(result.coverage.notes[0]).toMatch(/No allowed request was recorded in this window/);
    expect(result.changed).toBe(1); // the contractor; allowed requests are invisible
  });

  it('decides allowedAudited from the window, not from the option in force today', async () => {
    const allowed = [decision('decision.allowed', T0 + HOUR, 'u-alice', wiki)];
    expect((await whatIf(new ReaderFake(allowed), CANDIDATE, window)).coverage.allowedAudited).toBe(true);
    const later = { from: T0 + 2 * HOUR, to: T0 + 3 * HOUR };
    expect((await whatIf(new ReaderFake(allowed), CANDIDATE, later)).coverage.allowedAudited).toBe(false);
  });

  it('counts decisions recorded without a risk score, and says so when the candidate reads risk', async () => {
    const unscored = [
      decision('decision.allowed', T0 + HOUR, 'u-alice', wiki, [], [], false),
      decision('decision.allowed', T0 + 2 * HOUR, 'u-bob', wiki, [], [], false),
      decision('decision.allowed', T0 + 3 * HOUR, 'u-carol', wiki),
    ];
    const risky = compilePolicy({ rules: [{ id: 'risky', when: { minRisk: 0.5 }, deny: true }] }, 3);
    const result = await whatIf(new ReaderFake(unscored), risky, window);
    expect(result.coverage).toMatchObject({ replayed: 3, riskUnscored: 2 });
    const note = result.coverage.notes.find((n) => n.startsWith('2 decisions were recorded without a risk score'));
    expect(note).toMatch(/report-only/);
    // A candidate that reads no risk loses nothing by it: counted, not warned about.
    const plain = await whatIf(new ReaderFake(unscored), CANDIDATE, window);
    expect(plain.coverage.riskUnscored).toBe(2);
    expect(plain.coverage.notes.join(' ')).not.toMatch(/risk score/);
  });

  it('finds nothing to change when the candidate is the version that decided', async () => {
    const v1 = compilePolicy({ services: { payments: { require: 'any' } }, rules: [] }, 1);
    const recorded = [
      decision('challenge.issued', T0 + HOUR, 'u-alice', transfer),
      decision('decision.allowed', T0 + 2 * HOUR, 'u-alice', transfer, totpAgo(T0 + 2 * HOUR, 5000)),
    ];
    expect((await whatIf(new ReaderFake(recorded), v1, window)).changed).toBe(0);
  });

  it('reads in pages of at most 200, one decision type at a time, inside the window', async () => {
    const many = Array.from({ length: 450 }, (_, i) =>
      decision('decision.denied', T0 + i * 1000, `u-${i % 7}`, transfer),
    );
    const reader = new ReaderFake(many);
    const result = await whatIf(reader, CANDIDATE, { ...window, top: 3 });
    expect(result.coverage.replayed).toBe(450);
    expect(result.topUsers).toHaveLength(3);
    expect(reader.queries.every((q) => q.limit === 200 && q.from === window.from && q.to === window.to)).toBe(true);
    expect(reader.queries.filter((q) => q.type === 'decision.denied')).toHaveLength(3);
  });

  it('refuses a backwards or empty window, one longer than 31 days, and more events than it may replay', async () => {
    const reader = new ReaderFake([]);
    await expect(whatIf(reader, CANDIDATE, { from: T0, to: T0 })).rejects.toMatchObject({
      code: 'WHAT_IF_WINDOW_INVALID',
    });
    await expect(whatIf(reader, CANDIDATE, { from: T0, to: T0 + 32 * 24 * HOUR })).rejects.toMatchObject({
      code: 'WHAT_IF_WINDOW_TOO_LARGE',
      details: { maxDays: 31, maxEvents: WHAT_IF_LIMITS.maxEvents },
    });
    expect(reader.queries).toEqual([]);
    const flood: AuditReader = {
      query: async () => ({
        events: Array.from({ length: 200 }, () => ({ id: 'x', type: 'decision.allowed', at: T0, severity: 'info' })),
        nextCursor: 'more',
      }),
    };
    await expect(whatIf(flood, CANDIDATE, window)).rejects.toMatchObject({ code: 'WHAT_IF_WINDOW_TOO_LARGE' });
  });
});
