// Invariant: an exemption lifts exactly what it names — one document rule that requires a
// factor, or mandatory enrollment once its grace is over — for the evidence of its own user;
// never a route's own requirement, a service, an operation or a deny rule; and explain names it.
import { compilePolicy } from '../policy/compile-policy';
import { decide, Evidence, exemptionKey } from '../policy/decide';
import { EnrollmentFacts, explainPolicy } from '../policy/explain';
import { buildRequirement } from '../policy/requirement';
import type { ExemptionRecord } from '../ports/store/exemption.store';
import { exemptRuleIds, fingerprintOf } from './exemption';

const now = 1_765_000_000_000;
const DAY = 86_400_000;
const policy = compilePolicy(
  {
    services: { payments: { require: 'totp' }, wiki: { group: 'docs' } },
    rules: [
      { id: 'docs-need-a-factor', when: { serviceGroups: ['docs'] }, require: { any: true } },
      { id: 'service:payments', when: { services: ['wiki'] }, require: 'sms' }, // a rule may take a service's id
      { id: 'embargo', when: { countries: ['KP'] }, deny: true },
    ],
    enrollment: { required: 'everyone', graceDays: 1 },
  },
  4,
);
const exemption = (scope: 'enrollment' | 'rule', ruleId: string | null, days = 10): ExemptionRecord => ({
  id: `ex-${scope}-${ruleId}-${days}`,
  userId: 'u-bob',
  scope,
  ruleId,
  ruleFingerprint: fingerprintOf(policy, ruleId ?? '') ?? null,
  reason: 'travel',
  grantedBy: 'u-admin',
  createdAt: now - DAY,
  expiresAt: now + days * DAY,
  revokedAt: null,
  revokedBy: null,
});
const evidence = (exemptRules?: ReadonlySet<string>): Evidence => ({
  userId: 'u-bob',
  groups: [],
  verified: [],
  grants: [],
  ...(exemptRules ? { exemptRules } : {}),
});
const wiki = { service: 'wiki' };

describe('what an exemption lifts', () => {
  it('lifts the rules it names, and only document rules', () => {
    expect(decide(policy, wiki, {}, evidence(), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'docs-need-a-factor',
    });
    const one = exemptRuleIds([exemption('rule', 'docs-need-a-factor')]);
    expect(decide(policy, wiki, {}, evidence(one), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'service:payments',
    });
    const both = exemptRuleIds([exemption('rule', 'docs-need-a-factor'), exemption('rule', 'service:payments')]);
    const allowed = decide(policy, wiki, {}, evidence(both), now);
    expect(allowed).toMatchObject({
      outcome: 'allow',
      reasons: ['docs-need-a-factor: exempted', 'service:payments: exempted'],
    });
    // The service's own constraint shares the rule's id: its requirement stays.
    expect(decide(policy, { service: 'payments' }, {}, evidence(both), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'service:payments',
    });
  });

  it("lifts a rule that applies everywhere on business routes, never on the mfa service's own", () => {
    const everywhere = compilePolicy({ rules: [{ id: 'all-need-totp', when: {}, require: 'totp' }] }, 5);
    const lifted = evidence(new Set([exemptionKey('all-need-totp', fingerprintOf(everywhere, 'all-need-totp')!)]));
    expect(decide(everywhere, wiki, {}, lifted, now).outcome).toBe('allow');
    const admin = { service: 'mfa', operation: 'admin' };
    expect(decide(everywhere, admin, {}, lifted, now)).toMatchObject({ outcome: 'challenge', ruleId: 'all-need-totp' });
    // Explain agrees with the decision on both.
    const record = {
      ...exemption('rule', 'all-need-totp'),
      ruleFingerprint: fingerprintOf(everywhere, 'all-need-totp')!,
    };
    const facts: EnrollmentFacts = { enrolled: true, requiredSince: null, reenrollmentForcedAt: null };
    const layerOn = (target: typeof admin | typeof wiki) =>
      explainPolicy(everywhere, target, {}, { userId: 'u-bob', groups: [] }, facts, now, [record]).layers[0];
    expect(layerOn(wiki)).toMatchObject({ effect: 'exempt', satisfied: true });
    expect(layerOn(admin)).toMatchObject({ effect: 'require', satisfied: false });
    expect(layerOn(admin).reason).not.toContain('no longer applies'); // the rule did not change
  });

  it("never lifts a route's own requirement or a deny rule", () => {
    const ids = exemptRuleIds(
      ['route', 'embargo', 'docs-need-a-factor', 'service:payments'].map((id) => ({
        ...exemption('rule', id),
        ruleFingerprint: fingerprintOf(policy, id) ?? 'f'.repeat(64),
      })),
    );
    const route = { ...wiki, requirement: buildRequirement({}) };
    expect(decide(policy, route, {}, evidence(ids), now)).toMatchObject({ outcome: 'challenge', ruleId: 'route' });
    expect(decide(policy, wiki, { country: 'KP' }, evidence(ids), now)).toMatchObject({ outcome: 'deny' });
  });

  it('explain names the exemption that lifts a rule, and until when', () => {
    const facts: EnrollmentFacts = { enrolled: true, requiredSince: null, reenrollmentForcedAt: null };
    const lifted = exemption('rule', 'docs-need-a-factor');
    const shorter = exemption('rule', 'docs-need-a-factor', 2);
    const explained = explainPolicy(policy, wiki, {}, { userId: 'u-bob', groups: [] }, facts, now, [shorter, lifted]);
    expect(explained.layers.find((l) => l.id === 'docs-need-a-factor')).toMatchObject({
      effect: 'exempt',
      satisfied: true,
      exemption: { id: lifted.id, expiresAt: new Date(lifted.expiresAt).toISOString() },
    });
    expect(explained).toMatchObject({ outcome: 'challenge', ruleId: 'service:payments' });
  });

  it('explain shows an enrollment exemption: ahead during the grace period, in force after it, never over a forced re-enrollment', () => {
    const who = { userId: 'u-bob', groups: [] };
    const ex = exemption('enrollment', null);
    const applied = { id: ex.id, expiresAt: new Date(ex.expiresAt).toISOString() };
    const layer = (facts: EnrollmentFacts) =>
      explainPolicy(policy, wiki, {}, who, facts, now, [ex]).layers.find((l) => l.id === 'enrollment');
    const since = (ms: number): EnrollmentFacts => ({ enrolled: false, requiredSince: ms, reenrollmentForcedAt: null });
    expect(layer(since(now))).toMatchObject({ enrollment: { status: 'grace' }, exemption: applied });
    expect(layer(since(now - 2 * DAY))).toMatchObject({
      effect: 'exempt',
      satisfied: true,
      enrollment: { status: 'exempt' },
      exemption: applied,
    });
    const forced = layer({ enrolled: false, requiredSince: null, reenrollmentForcedAt: now - 1 });
    expect(forced).toMatchObject({
      satisfied: false,
      enrollment: { status: 'required', reason: 'reenrollment_forced' },
    });
    expect(forced?.exemption).toBeUndefined();
    expect(explainPolicy(policy, wiki, {}, who, since(now - 2 * DAY), now).layers.at(-1)).toMatchObject({
      enrollment: { status: 'required', reason: 'grace_period_ended' },
    });
  });
});
