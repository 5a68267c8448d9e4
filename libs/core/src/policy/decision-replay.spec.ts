// Invariant: a decision replayed from its audit record comes out exactly as it was taken, under
// any policy; and the record carries the decision's inputs only: no cookie, session or secret.
import fc from 'fast-check';
import type { FactorType } from '../factors/factor-type';
import { compilePolicy } from './compile-policy';
import { decide, Evidence, UnspentGrant, VerifiedFactor } from './decide';
import { isReplayable, replayInput, replayOf } from './decision-replay';
import type { PolicyDocument, PolicyRule, StepSpec } from './policy-document';
import type { MfaTarget, RequestContext } from './request-context';
import { validatePolicy } from './validate-policy';

const now = 2_000_000_000_123;
const factor = fc.constantFrom<FactorType>('totp', 'backup_code', 'email');
const step: fc.Arbitrary<StepSpec> = fc.oneof(
  fc.constant('any' as const),
  factor,
  fc.record({ factor, maxAge: fc.integer({ min: 0, max: 3600 }) }),
  fc.record({
    any: fc.constant(true as const),
    maxAge: fc.integer({ min: 1, max: 3600 }),
    minAal: fc.constant(2 as const),
  }),
  fc.record({ any: fc.constant(true as const), allowTrustedDevice: fc.constant(true) }),
);
const requirement = fc.oneof(step, fc.constant({ chain: ['totp', 'backup_code'] as StepSpec[] }));
const RULES: PolicyRule[] = [
  { id: 'embargo', when: { countries: ['KP'] }, deny: true },
  { id: 'staff', when: { groups: ['staff'], minRisk: 0.5 }, require: { any: true, maxAge: 60 } },
  { id: 'labelled', when: { sensitivity: ['high'], machine: false }, require: 'totp' },
];
const policyDoc: fc.Arbitrary<PolicyDocument> = fc
  .record({
    continuous: fc.record({ countryChange: fc.boolean(), riskIncrease: fc.constantFrom(0.2, undefined) }),
    services: fc.record({
      s1: fc.record({ require: requirement, operations: fc.record({ op: fc.record({ require: requirement }) }) }),
    }),
    rules: fc.constant(RULES),
  })
  .filter((doc) => validatePolicy(doc).length === 0);
const target: fc.Arbitrary<MfaTarget> = fc.record(
  {
    service: fc.constant('s1'),
    operation: fc.constant('op'),
    sensitivity: fc.constant(['high']),
    requirement: fc.constant({ steps: [{ factors: ['totp'] as FactorType[], maxAge: 900 }] }),
  },
  { requiredKeys: ['service'] },
);
const context: fc.Arbitrary<RequestContext> = fc.record(
  {
    country: fc.constantFrom('TR', 'DE', 'KP'),
    risk: fc.double({ min: 0, max: 1, noNaN: true }),
    deviceTrusted: fc.boolean(),
    machine: fc.boolean(),
  },
  { requiredKeys: [] },
);
// Milliseconds, not seconds: sub-second order and freshness edges must survive the record.
const verified: fc.Arbitrary<VerifiedFactor[]> = fc
  .array(
    fc.record({ factor, ms: fc.integer({ min: 0, max: 4_000_000 }), country: fc.constantFrom('TR', 'DE', undefined) }),
    { maxLength: 4 },
  )
  .map((vs) =>
    vs.map((v, i) => ({
      factor: v.factor,
      verifiedAt: now - v.ms,
      eventId: `e${i}`,
      baseline: v.country ? { country: v.country, risk: 0.1 } : {},
      assurance: { aal: v.factor === 'email' ? 1 : 2, amr: ['otp'] },
    })),
  );
const grants: fc.Arbitrary<UnspentGrant[]> = fc
  .array(fc.record({ factor, ms: fc.integer({ min: 0, max: 500_000 }) }), { maxLength: 2 })
  .map((gs) =>
    gs.map((g, i) => ({
      id: `grant-${i}`,
      scope: 's1/op',
      factor: g.factor,
      createdAt: now - g.ms,
      expiresAt: now + 600_000 - g.ms,
      eventId: `ge${i}`,
    })),
  );
const groups = fc.subarray(['staff', 'admins']);

describe('decision replay', () => {
  it('decides the same again, from the record alone, under any policy', () => {
    fc.assert(
      fc.property(policyDoc, target, context, verified, grants, groups, (doc, t, c, v, g, gr) => {
        const policy = compilePolicy(doc, 3);
        const evidence: Evidence = { userId: 'u-1', groups: gr, verified: v, grants: g };
        const taken = decide(policy, t, c, evidence, now);
        // Through JSON, as the database sink keeps it.
        const record = JSON.parse(JSON.stringify(replayOf(t, c, evidence, now)));
        expect(isReplayable(record)).toBe(true);
        const again = replayInput(record, 'u-1', now);
        const replayed = decide(policy, again.target, again.context, again.evidence, now);
        expect(replayed.outcome).toBe(taken.outcome);
        expect(replayed.outcome === 'allow' ? replayed.ruleIds : replayed.ruleId).toEqual(
          taken.outcome === 'allow' ? taken.ruleIds : taken.ruleId,
        );
      }),
    );
  });

  it('keeps no cookie, session, event id or baseline field it does not compare', () => {
    const evidence: Evidence = {
      userId: 'u-1',
      groups: ['staff'],
      verified: [
        {
          factor: 'totp',
          verifiedAt: now - 1500,
          eventId: 'secret-event-id',
          baseline: { country: 'TR', extra: 'x' } as never,
        },
      ],
      grants: [],
    };
    const record = replayOf(
      { service: 's1', route: 'POST /transfers/:id' },
      { country: 'TR', deviceCookie: 'cookie-value', risk: 0.2 },
      evidence,
      now,
      { deviceCookieUnchecked: true },
    );
    const text = JSON.stringify(record);
    for (const secret of ['cookie-value', 'secret-event-id', 'extra', 'u-1']) expect(text).not.toContain(secret);
    expect(record).toEqual({
      v: 1,
      target: { service: 's1', route: 'POST /transfers/:id' },
      groups: ['staff'],
      context: { country: 'TR', risk: 0.2 },
      verified: [{ factor: 'totp', ageSeconds: 1.5, aal: 2, baseline: { country: 'TR' } }],
      deviceCookieUnchecked: true,
    });
  });

  it('marks a record it had to cut short, and a reader skips it and any shape it does not know', () => {
    const many: Evidence = {
      userId: 'u',
      groups: Array.from({ length: 65 }, (_, i) => `g${i}`),
      verified: [],
      grants: [],
    };
    const cut = replayOf({ service: 's1' }, {}, many, now);
    expect(cut.groups).toHaveLength(64);
    expect(cut.incomplete).toBe(true);
    expect(isReplayable(cut)).toBe(false);
    expect(isReplayable(replayOf({ service: 's1' }, {}, { ...many, groups: ['a'.repeat(129)] }, now))).toBe(false);
    expect(isReplayable({ v: 2, target: {}, groups: [], verified: [] })).toBe(false);
    expect(isReplayable(undefined)).toBe(false);
  });
});
