// Invariant: a report-only version is decided beside the enforcing one and only reported:
// disagreements are audited with the decision's inputs (once per session, target and verdict
// a minute), agreements are not, and nothing the recorder does (a throwing report-only policy
// or a record that cannot be built included) changes or fails the decision.
import { AuditTrail } from '../audit/audit-trail';
import { ManualClock } from '../clock/clock';
import type { AuditEvent } from '../ports/audit-sink.port';
import type { MfaSubject } from '../subject';
import { CompiledPolicy, compilePolicy } from './compile-policy';
import { decide, Evidence } from './decide';
import { DecisionRecorder } from './decision-recorder';
import type { PolicyService } from './policy.service';

const now = 1_800_000_000_000;
const subject: MfaSubject = { userId: 'u-1', sessionId: 's-1', groups: ['staff'] };
const enforcing = compilePolicy({ services: { pay: { require: 'any' } } }, 1);
const stricter = compilePolicy({ services: { pay: { require: { any: true, maxAge: 60 } } } }, 2);
const laxer = compilePolicy({}, 3);
const session: Evidence = {
  userId: 'u-1',
  groups: ['staff'],
  verified: [{ factor: 'totp', verifiedAt: now - 600_000, eventId: 'e1' }],
  grants: [],
};

function recorder(shadow: CompiledPolicy | null, decisionAudit: 'refusals' | 'all' = 'refusals') {
  const events: AuditEvent[] = [];
  const policy = { reportOnly: () => shadow } as unknown as PolicyService;
  const audit = new AuditTrail({ emit: (e) => void events.push(e) }, new ManualClock(now));
  return { events, recorder: new DecisionRecorder({ decisionAudit }, audit, policy) };
}

describe('DecisionRecorder', () => {
  const target = { service: 'pay', route: 'POST /pay' };

  it('audits a disagreement with both versions, the deciding rule and the replay record', () => {
    const { events, recorder: r } = recorder(stricter);
    const allowed = decide(enforcing, target, { country: 'TR' }, session, now);
    expect(allowed.outcome).toBe('allow');
    expect(r.settled(subject, target, { country: 'TR' }, session, allowed, now)).toBeDefined();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'policy.report_only',
        userId: 'u-1',
        policyVersion: 2,
        ruleId: 'service:pay',
        reason: 'version 2 would challenge (rule service:pay); version 1 allowed',
        reportOnly: {
          version: 2,
          enforcedVersion: 1,
          enforced: 'allow',
          wouldHave: 'challenge',
          ruleIds: ['service:pay'],
          enforcedRuleIds: ['service:pay'],
        },
        replay: expect.objectContaining({ target: { service: 'pay', route: 'POST /pay' }, context: { country: 'TR' } }),
      }),
    ]);
    expect(events[0].outcome).toBeUndefined(); // nothing happened to the request because of it
  });

  it('does not audit an agreement, and on the hot path builds nothing at all', () => {
    const same = recorder(compilePolicy({ services: { pay: { require: 'totp' } } }, 4));
    const allowed = decide(enforcing, target, {}, session, now);
    same.recorder.settled(subject, target, {}, session, allowed, now);
    expect(same.events).toEqual([]);
    const none = recorder(null);
    expect(none.recorder.settled(subject, target, {}, session, allowed, now)).toBeUndefined();
    expect(none.events).toEqual([]);
  });

  it('reports what a laxer version would let through, and hands the challenge its replay record', () => {
    const { events, recorder: r } = recorder(laxer);
    const fresh: Evidence = { ...session, verified: [] };
    const challenged = decide(enforcing, target, {}, fresh, now);
    const replay = r.settled(subject, target, { deviceCookie: 'c' }, fresh, challenged, now);
    expect(replay).toMatchObject({ verified: [], deviceCookieUnchecked: true });
    expect(events.map((e) => e.reportOnly?.wouldHave)).toEqual(['allow']);
    expect(JSON.stringify(events)).not.toContain('"c"');
  });

  it("writes decision.allowed only with decisionAudit: 'all'", () => {
    const allowed = decide(enforcing, target, {}, session, now);
    const all = recorder(null, 'all');
    all.recorder.settled(subject, target, {}, session, allowed, now);
    expect(all.events).toEqual([
      expect.objectContaining({
        type: 'decision.allowed',
        outcome: 'success',
        policyVersion: 1,
        ruleId: 'service:pay',
      }),
    ]);
    expect(all.events[0].replay?.verified).toEqual([{ factor: 'totp', ageSeconds: 600, aal: 2 }]);
  });

  it('never lets a failing report-only decision reach the request', () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    // A compiled policy that throws when decided, as a bug in a future rule kind would.
    const { events, recorder: r } = recorder({ ...stricter, rules: undefined as never });
    const allowed = decide(enforcing, target, {}, session, now);
    expect(() => r.settled(subject, target, {}, session, allowed, now)).not.toThrow();
    expect(events).toEqual([]);
    write.mockRestore();
  });

  it("makes a host's numeric groups strings, and a record it cannot build never fails the decision", () => {
    const write = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const { events, recorder: r } = recorder(laxer);
    const numeric: Evidence = { ...session, groups: [42, 7] as never, verified: [] };
    const challenged = decide(enforcing, target, {}, numeric, now);
    expect(challenged.outcome).toBe('challenge');
    expect(r.settled(subject, target, {}, numeric, challenged, now)?.groups).toEqual(['42', '7']);

    // A group no String() can make a string of: the challenge goes on without a record, and the
    // report-only disagreement is still audited, without one.
    const broken: Evidence = { ...numeric, groups: [{ toString: () => ({}) }] as never };
    const other = { ...subject, sessionId: 's-2' };
    expect(() => r.settled(other, target, {}, broken, challenged, now)).not.toThrow();
    expect(r.settled(other, { ...target, route: 'POST /pay/2' }, {}, broken, challenged, now)).toBeUndefined();
    expect(events.map((e) => [e.type, e.reportOnly?.wouldHave, e.replay === undefined])).toEqual([
      ['policy.report_only', 'allow', false],
      ['policy.report_only', 'allow', true],
      ['policy.report_only', 'allow', true],
    ]);
    expect(write).toHaveBeenCalledWith(expect.stringMatching(/^nestjs-mfa: decision record failed: /));
    write.mockRestore();
  });

  it('marks a record whose risk was never scored', () => {
    const { recorder: r } = recorder(null);
    const challenged = decide(enforcing, target, {}, { ...session, verified: [] }, now);
    expect(r.settled(subject, target, {}, session, challenged, now, { riskScored: false })).toMatchObject({
      riskScored: false,
    });
    expect(r.settled(subject, target, {}, session, challenged, now)).not.toHaveProperty('riskScored');
  });

  it('reports the same disagreement once per session, target and verdict a minute', () => {
    const { events, recorder: r } = recorder(compilePolicy({ rules: [{ id: 'lockdown', deny: true }] }, 5));
    const allowed = decide(enforcing, target, {}, session, now);
    const settle = (who: MfaSubject, at: number, t: typeof target = target) =>
      r.settled(who, t, {}, session, allowed, at);
    settle(subject, now);
    settle(subject, now + 1_000);
    settle(subject, now + 59_999);
    expect(events).toHaveLength(1);
    settle({ ...subject, sessionId: 's-other' }, now + 2_000); // another session
    settle(subject, now + 3_000, { ...target, route: 'GET /pay' }); // another route
    expect(events).toHaveLength(3);
    settle(subject, now + 60_000); // the window has passed
    expect(events).toHaveLength(4);
    expect(events.every((e) => e.type === 'policy.report_only' && e.reportOnly?.wouldHave === 'deny')).toBe(true);
  });
});
