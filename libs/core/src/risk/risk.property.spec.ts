// Properties of the risk engine: a signal that fires never lowers the score; a lower score
// never demands more than a higher one, through the real decide(), so the enforcer may skip
// the parts of an assessment that could not change its decision; and requests that never
// verified never teach a profile anything.
import fc from 'fast-check';
import { ManualClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import type { FactorType } from '../factors/factor-type';
import { ACCOUNT_CHANNEL, lockoutKeys } from '../lockout/attempt-limiter';
import { compilePolicy } from '../policy/compile-policy';
import { decide, Evidence, VerifiedFactor } from '../policy/decide';
import type { PolicyDocument, PolicyRule, StepSpec } from '../policy/policy-document';
import { validatePolicy } from '../policy/validate-policy';
import { InMemoryRiskHistoryStore } from './in-memory-risk-history.store';
import { RiskEngine } from './risk-engine';
import { combineWithHost, riskScore, RiskWeights } from './risk-score';
import { RISK_SIGNAL_NAMES, RiskSignals } from './risk-signals';
import { resolveRisk } from './risk.options';

const now = Date.UTC(2026, 5, 1, 12);
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const weights: fc.Arbitrary<RiskWeights> = fc.record(
  Object.fromEntries(RISK_SIGNAL_NAMES.map((n) => [n, unit])) as Record<keyof RiskWeights, fc.Arbitrary<number>>,
);
const signalSet = fc.subarray([...RISK_SIGNAL_NAMES]);
const asSignals = (names: readonly string[]): RiskSignals =>
  Object.fromEntries(names.map((n) => [n, true])) as unknown as RiskSignals;
const rank = { allow: 0, challenge: 1, deny: 2 } as const;

const step: fc.Arbitrary<StepSpec> = fc.oneof(
  fc.constant('any' as const),
  fc.constantFrom<FactorType>('totp', 'backup_code'),
  fc.record({ any: fc.constant(true as const), maxAge: fc.integer({ min: 1, max: 3600 }) }),
);
const riskRule = (id: string): fc.Arbitrary<PolicyRule> =>
  fc.oneof(
    fc.record({ id: fc.constant(id), when: fc.record({ minRisk: unit }), require: step }),
    fc.record({ id: fc.constant(id), when: fc.record({ minRisk: unit }), deny: fc.constant(true as const) }),
  );
const policyDoc: fc.Arbitrary<PolicyDocument> = fc
  .record({
    continuous: fc.record({ riskIncrease: fc.option(unit, { nil: undefined }) }),
    services: fc.record({ s1: fc.record({ require: fc.oneof(step, fc.constant('none' as const)) }) }),
    rules: fc.array(fc.nat(), { maxLength: 3 }).chain((xs) => fc.tuple(...xs.map((_, i) => riskRule(`r${i}`)))),
  })
  .filter((doc) => validatePolicy(doc).length === 0);
const verified: fc.Arbitrary<VerifiedFactor[]> = fc
  .array(
    fc.record({
      factor: fc.constantFrom<FactorType>('totp', 'backup_code'),
      secondsAgo: fc.integer({ min: 0, max: 4000 }),
      risk: fc.option(unit, { nil: undefined }),
    }),
    { maxLength: 3 },
  )
  .map((xs) =>
    xs.map((x, i) => ({
      factor: x.factor,
      verifiedAt: now - x.secondsAgo * 1000,
      eventId: `e${i}`,
      baseline: x.risk === undefined ? {} : { risk: x.risk },
    })),
  );
const evidence = (v: VerifiedFactor[]): Evidence => ({ userId: 'u', groups: [], verified: v, grants: [] });

describe('risk engine properties', () => {
  it('a signal that fires never lowers the score, with or without a host signal added', () => {
    fc.assert(
      fc.property(
        weights,
        signalSet,
        fc.constantFrom(...RISK_SIGNAL_NAMES),
        fc.option(unit),
        (w, some, extra, host) => {
          const before = combineWithHost(riskScore(asSignals(some), w), host ?? undefined, 'add');
          const after = combineWithHost(riskScore(asSignals([...some, extra]), w), host ?? undefined, 'add');
          expect(after).toBeGreaterThanOrEqual(before);
          expect(after).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('a lower score never demands more than a higher one (decide)', () => {
    fc.assert(
      fc.property(policyDoc, verified, unit, unit, (doc, v, a, b) => {
        const policy = compilePolicy(doc, 1);
        const [low, high] = a <= b ? [a, b] : [b, a];
        const at = (risk: number) => rank[decide(policy, { service: 's1' }, { risk }, evidence(v), now).outcome];
        expect(at(low)).toBeLessThanOrEqual(at(high));
      }),
    );
  });

  it('the enforcer decides with as little of the assessment as it needs, and decides the same', async () => {
    const country = fc.constantFrom('DE', 'JP', 'TR');
    await fc.assert(
      fc.asyncProperty(
        fc.record({ doc: policyDoc, v: verified, w: weights, host: fc.option(unit, { nil: undefined }) }),
        fc.record({ home: country, here: country, failures: fc.nat(8), untrusted: fc.boolean() }),
        async ({ doc, v, w, host }, { home, here, failures, untrusted }) => {
          const counters = new InMemoryCounterStore();
          const engine = new RiskEngine({
            risk: resolveRisk({ weights: w, untrustedIps: untrusted ? ['0.0.0.0/0'] : [] }),
            riskHistory: new InMemoryRiskHistoryStore(),
            counters,
            clock: new ManualClock(now),
          });
          const key = lockoutKeys('u', ACCOUNT_CHANNEL).account;
          for (let i = 0; i < failures; i++) await counters.hit(key, 100, 86_400_000, now);
          await engine.remember(
            await engine.lesson({ userId: 'u' }, { country: home, client: { userAgent: '' } }, true),
          );
          const policy = compilePolicy(doc, 1);
          const context = { country: here, client: { ip: '192.0.2.1', userAgent: '' }, risk: host };
          const s1 = { service: 's1' };
          const partly = await engine.decisionContext({ userId: 'u' }, context, policy, s1, evidence(v), now);
          const fully = await engine.assess({ userId: 'u' }, context);
          expect(decide(policy, s1, partly, evidence(v), now).outcome).toBe(
            decide(policy, s1, fully, evidence(v), now).outcome,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('beside a report-only version, both decide the same with as little of the assessment as they need', async () => {
    const country = fc.constantFrom('DE', 'JP', 'TR');
    await fc.assert(
      fc.asyncProperty(
        fc.record({ doc: policyDoc, shadowDoc: policyDoc, v: verified, w: weights }),
        fc.record({ home: country, here: country, failures: fc.nat(8) }),
        async ({ doc, shadowDoc, v, w }, { home, here, failures }) => {
          const counters = new InMemoryCounterStore();
          const engine = new RiskEngine({
            risk: resolveRisk({ weights: w }),
            riskHistory: new InMemoryRiskHistoryStore(),
            counters,
            clock: new ManualClock(now),
          });
          const key = lockoutKeys('u', ACCOUNT_CHANNEL).account;
          for (let i = 0; i < failures; i++) await counters.hit(key, 100, 86_400_000, now);
          await engine.remember(
            await engine.lesson({ userId: 'u' }, { country: home, client: { userAgent: '' } }, true),
          );
          const [policy, shadow] = [compilePolicy(doc, 1), compilePolicy(shadowDoc, 2)];
          const context = { country: here, client: { ip: '192.0.2.1', userAgent: '' } };
          const s1 = { service: 's1' };
          const partly = await engine.decisionContext({ userId: 'u' }, context, policy, s1, evidence(v), now, shadow);
          const fully = await engine.assess({ userId: 'u' }, context);
          for (const p of [policy, shadow])
            expect(decide(p, s1, partly, evidence(v), now).outcome).toBe(
              decide(p, s1, fully, evidence(v), now).outcome,
            );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('requests that never verified never teach the profile, however many there are', async () => {
    const place = fc.constantFrom('DE', 'JP', 'US', 'BR', undefined);
    const agent = fc.constantFrom('', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'curl/8.5.0');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ country: place, userAgent: agent, minutes: fc.nat(600) }), { maxLength: 20 }),
        async (requests) => {
          const history = new InMemoryRiskHistoryStore();
          const clock = new ManualClock(now);
          const engine = new RiskEngine({
            risk: resolveRisk(),
            riskHistory: history,
            counters: new InMemoryCounterStore(),
            clock,
          });
          const taught = { country: 'TR', client: { userAgent: 'Safari/605 (Macintosh)' } };
          await engine.remember(await engine.lesson({ userId: 'u' }, taught, true));
          const before = await history.loadRiskProfile('u');
          const save = jest.spyOn(history, 'saveRiskProfile');
          for (const r of requests) {
            clock.advance(r.minutes * 60);
            await engine.assess({ userId: 'u' }, { country: r.country, client: { userAgent: r.userAgent } });
          }
          expect(save).not.toHaveBeenCalled();
          expect(await history.loadRiskProfile('u')).toEqual(before);
        },
      ),
      { numRuns: 50 },
    );
  });
});
