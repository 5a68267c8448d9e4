// Properties of the decision engine, over generated policies, contexts and sessions:
// it is deterministic, more verification never hurts, a stricter policy never allows more,
// and a chain holds only when its steps were verified in order.
import fc from 'fast-check';
import type { FactorType } from '../factors/factor-type';
import { compilePolicy } from './compile-policy';
import { decide, Evidence, VerifiedFactor } from './decide';
import { PolicyDocument, PolicyRule, StepSpec } from './policy-document';
import { MfaTarget, RequestContext } from './request-context';
import { validatePolicy } from './validate-policy';

const now = 2_000_000_000_000;
const factor = fc.constantFrom<FactorType>('totp', 'backup_code');
const step: fc.Arbitrary<StepSpec> = fc.oneof(
  fc.constant('any' as const),
  factor,
  fc.record({ factor, maxAge: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }) }),
  fc.record({ any: fc.constant(true as const), maxAge: fc.integer({ min: 1, max: 3600 }) }),
);
const requirement = fc.oneof(
  step,
  fc.constant('none' as const),
  fc.constant({ chain: ['totp', 'backup_code'] as StepSpec[] }),
  fc.constant({ chain: ['backup_code', { factor: 'totp' as const, maxAge: 900 }] as StepSpec[] }),
);
const rule = (id: string): fc.Arbitrary<PolicyRule> =>
  fc.record({
    id: fc.constant(id),
    when: fc.record(
      {
        services: fc.subarray(['s1', 's2'], { minLength: 1 }),
        groups: fc.subarray(['a', 'b'], { minLength: 1 }),
        countries: fc.subarray(['TR', 'DE', 'unknown'], { minLength: 1 }),
        minRisk: fc.double({ min: 0, max: 1, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
    require: requirement,
  });
const policyDoc: fc.Arbitrary<PolicyDocument> = fc
  .record({
    continuous: fc.record({
      countryChange: fc.boolean(),
      riskIncrease: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }),
    services: fc.record({
      s1: fc.record({ require: requirement }, { requiredKeys: [] }),
      s2: fc.record({ require: requirement }, { requiredKeys: [] }),
    }),
    rules: fc.array(fc.nat(), { maxLength: 3 }).chain((xs) => fc.tuple(...xs.map((_, i) => rule(`r${i}`)))),
  })
  .filter((doc) => validatePolicy(doc).length === 0);
const target: fc.Arbitrary<MfaTarget> = fc.record({ service: fc.constantFrom('s1', 's2') });
const context: fc.Arbitrary<RequestContext> = fc.record(
  { country: fc.constantFrom('TR', 'DE'), risk: fc.double({ min: 0, max: 1, noNaN: true }) },
  { requiredKeys: [] },
);
const verified = (factors: FactorType[]) =>
  fc.tuple(
    ...factors.map((f, i) =>
      fc
        .record({
          secondsAgo: fc.integer({ min: 0, max: 4000 }),
          country: fc.option(fc.constantFrom('TR', 'DE'), { nil: undefined }),
        })
        .map(({ secondsAgo, country }): VerifiedFactor => ({
          factor: f,
          verifiedAt: now - secondsAgo * 1000,
          eventId: `e${i}`,
          baseline: country ? { country } : {},
        })),
    ),
  );
const someVerified = fc.subarray<FactorType>(['totp', 'backup_code']).chain(verified);
const evidence = (v: readonly VerifiedFactor[], groups: string[]): Evidence => ({
  userId: 'u',
  groups,
  verified: v,
  grants: [],
});
const groups = fc.subarray(['a', 'b']);

describe('decision engine properties', () => {
  it('is deterministic', () => {
    fc.assert(
      fc.property(policyDoc, target, context, someVerified, groups, (doc, t, c, v, g) => {
        const p = compilePolicy(doc, 1);
        expect(decide(p, t, c, evidence(v, g), now)).toEqual(
          decide(compilePolicy(doc, 1), t, c, evidence([...v], [...g]), now),
        );
      }),
    );
  });

  it('adding a verified factor never turns allow into challenge', () => {
    fc.assert(
      fc.property(
        policyDoc,
        target,
        context,
        someVerified,
        groups,
        verified(['totp', 'backup_code']),
        (doc, t, c, v, g, extra) => {
          const p = compilePolicy(doc, 1);
          if (decide(p, t, c, evidence(v, g), now).outcome !== 'allow') return;
          const added = extra
            .filter((x) => !v.some((y) => y.factor === x.factor))
            .map((x) => ({ ...x, eventId: `new-${x.factor}` }));
          expect(decide(p, t, c, evidence([...v, ...added], g), now).outcome).toBe('allow');
        },
      ),
    );
  });

  it('a stricter policy (one more rule) never allows more', () => {
    fc.assert(
      fc.property(policyDoc, rule('extra'), target, context, someVerified, groups, (doc, extra, t, c, v, g) => {
        const stricter: PolicyDocument = { ...doc, rules: [...(doc.rules ?? []), extra] };
        fc.pre(validatePolicy(stricter).length === 0);
        if (decide(compilePolicy(stricter, 2), t, c, evidence(v, g), now).outcome === 'allow') {
          expect(decide(compilePolicy(doc, 1), t, c, evidence(v, g), now).outcome).toBe('allow');
        }
      }),
    );
  });

  it('a chain holds only when its steps were verified in order', () => {
    const chain = compilePolicy({ services: { s1: { require: { chain: ['totp', 'backup_code'] } } } }, 1);
    fc.assert(
      fc.property(verified(['totp', 'backup_code']), fc.boolean(), fc.boolean(), (records, keepTotp, keepBackup) => {
        const v = records.filter((r) => (r.factor === 'totp' ? keepTotp : keepBackup));
        const totp = v.find((r) => r.factor === 'totp');
        const backup = v.find((r) => r.factor === 'backup_code');
        const inOrder = !!totp && !!backup && backup.verifiedAt >= totp.verifiedAt;
        expect(decide(chain, { service: 's1' }, {}, evidence(v, []), now).outcome).toBe(
          inOrder ? 'allow' : 'challenge',
        );
      }),
    );
  });
});
