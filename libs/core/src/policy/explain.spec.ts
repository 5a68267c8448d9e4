import { compilePolicy } from './compile-policy';
import { decide } from './decide';
import { EnrollmentFacts, explainPolicy } from './explain';
import { PolicyDocument } from './policy-document';
import { buildRequirement } from './requirement';
import { stepView } from './requirement-view';

const now = 1_000_000_000_000;
const DAY = 86_400_000;
const NOT_ENROLLED: EnrollmentFacts = { enrolled: false, requiredSince: null, reenrollmentForcedAt: null };
const bob = { userId: 'u-bob', groups: [] as string[] };

const POLICY: PolicyDocument = {
  methods: { enabled: ['totp', 'sms', 'backup_code'] },
  machinePrincipals: 'exempt',
  services: {
    payments: {
      group: 'money',
      require: { any: true, allowTrustedDevice: true },
      operations: {
        transfer: { require: { chain: [{ factor: 'totp' }, { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
      },
    },
  },
  rules: [
    { id: 'embargo', when: { countries: ['KP'] }, deny: true },
    {
      id: 'risky',
      description: 'Risky sessions re-verify every minute',
      when: { minRisk: 0.7 },
      require: { any: true, maxAge: 60 },
    },
    { id: 'route', when: { serviceGroups: ['money'] }, require: 'totp' }, // a document rule may take any id
  ],
};
const policy = compilePolicy(POLICY, 3);

describe('explainPolicy', () => {
  it('lists every applicable layer in the order checked, each whole, with its source', () => {
    const target = {
      service: 'payments',
      operation: 'transfer',
      requirement: buildRequirement({ factors: ['totp'], maxAge: 300 }),
    };
    const x = explainPolicy(policy, target, { country: 'TR', risk: 0.9 }, bob, NOT_ENROLLED, now);
    expect(x).toMatchObject({
      outcome: 'challenge',
      policyVersion: 3,
      ruleId: 'route',
      remaining: [{ factors: ['totp'], maxAge: 300 }],
    });
    expect(x.layers.map((l) => [l.id, l.source])).toEqual([
      ['route', { kind: 'route' }],
      ['service:payments', { kind: 'service', service: 'payments' }],
      ['operation:payments/transfer', { kind: 'operation', service: 'payments', operation: 'transfer' }],
      ['risky', { kind: 'rule', ruleId: 'risky', description: 'Risky sessions re-verify every minute' }],
      ['route', { kind: 'rule', ruleId: 'route' }],
    ]);
    expect(x.layers[2]).toEqual({
      id: 'operation:payments/transfer',
      source: expect.anything(),
      effect: 'require',
      satisfied: false,
      steps: [{ factors: ['totp'] }, { factors: ['backup_code', 'totp'], maxAge: 0 }],
      reason: expect.stringContaining('step 1 of 2 (totp) is not verified'),
    });
    expect(x.layers.every((l) => l.satisfied === false)).toBe(true);
  });

  it('"any" is listed as the factors the policy enables, marked any: true', () => {
    const x = explainPolicy(policy, { service: 'payments' }, { country: 'TR', risk: 0.9 }, bob, NOT_ENROLLED, now);
    expect(x.layers.find((l) => l.id === 'service:payments')!.steps).toEqual([
      { factors: ['backup_code', 'sms', 'totp'], any: true, allowTrustedDevice: true },
    ]);
    expect(x.layers.find((l) => l.id === 'risky')!.steps).toEqual([
      { factors: ['backup_code', 'sms', 'totp'], any: true, maxAge: 60 },
    ]);
    expect(x).toMatchObject({
      outcome: 'challenge',
      remaining: [{ factors: ['backup_code', 'sms', 'totp'], any: true, allowTrustedDevice: true }],
    });
    expect(stepView({ factors: 'any' }, ['totp'])).toEqual({ factors: ['totp'], any: true });
  });

  it('evaluates each layer on its own: a later unmet layer shows even when an earlier one holds', () => {
    const x = explainPolicy(
      policy,
      { service: 'payments' },
      { country: 'TR', deviceTrusted: true },
      bob,
      NOT_ENROLLED,
      now,
    );
    expect(x.layers.map((l) => [l.id, l.satisfied])).toEqual([
      ['service:payments', true],
      ['route', false],
    ]);
    expect(x).toMatchObject({ outcome: 'challenge', ruleId: 'route' });
  });

  it('keeps the combined decision exactly as decide takes it', () => {
    const cases: Array<[object, object]> = [
      [{ service: 'payments' }, { country: 'KP' }],
      [{ service: 'wiki' }, {}],
      [{ service: 'payments', operation: 'transfer' }, {}],
      [{}, {}],
    ];
    for (const [target, context] of cases) {
      const { layers, ...decision } = explainPolicy(policy, target, context, bob, NOT_ENROLLED, now);
      const expected = decide(policy, target, context, { userId: 'u-bob', groups: [], verified: [], grants: [] }, now);
      expect(decision).toEqual(
        expected.outcome === 'challenge'
          ? { ...expected, remaining: expected.remaining.map((s) => stepView(s, policy.enabled)) }
          : expected,
      );
      expect(Array.isArray(layers)).toBe(true);
    }
  });

  it('a deny layer is listed with the requirements it overrides; exempt machines face none', () => {
    const denied = explainPolicy(policy, { service: 'payments' }, { country: 'KP' }, bob, NOT_ENROLLED, now);
    expect(denied).toMatchObject({ outcome: 'deny', ruleId: 'embargo' });
    expect(denied.layers.map((l) => [l.id, l.effect])).toEqual([
      ['service:payments', 'require'],
      ['embargo', 'deny'],
      ['route', 'require'],
    ]);
    const machine = explainPolicy(policy, { service: 'payments' }, { machine: true }, bob, NOT_ENROLLED, now);
    expect(machine.layers).toEqual([
      expect.objectContaining({ id: 'machine-principals', effect: 'exempt', satisfied: true, steps: [] }),
    ]);
  });

  it('an unmapped route gets the default layer only', () => {
    const p = compilePolicy({ defaults: { unmapped: 'any' }, rules: [{ id: 'all', require: 'totp' }] }, 1);
    const x = explainPolicy(p, {}, {}, bob, NOT_ENROLLED, now);
    expect(x.layers).toEqual([
      expect.objectContaining({
        id: 'default',
        source: { kind: 'default' },
        steps: [{ factors: ['backup_code', 'email', 'sms', 'totp', 'webauthn'], any: true }],
      }),
    ]);
  });

  describe('mandatory enrollment', () => {
    const p = compilePolicy(
      { enrollment: { required: { groups: ['staff'] }, graceDays: 2 }, services: { hr: { require: 'totp' } } },
      5,
    );
    const staff = { userId: 'u', groups: ['staff'] };
    const layer = (facts: EnrollmentFacts, who = staff, target: object = { service: 'hr' }) =>
      explainPolicy(p, target, {}, who, facts, now).layers.find((l) => l.id === 'enrollment');

    it('applies to covered users, with where they stand', () => {
      expect(layer(NOT_ENROLLED, bob)).toBeUndefined();
      expect(layer(NOT_ENROLLED)).toMatchObject({
        source: { kind: 'enrollment' },
        effect: 'enroll',
        satisfied: true,
        enrollment: { status: 'grace', graceSecondsLeft: 2 * 86_400 },
      });
      expect(layer({ ...NOT_ENROLLED, requiredSince: now - DAY })).toMatchObject({
        satisfied: true,
        enrollment: { status: 'grace', graceSecondsLeft: 86_400 },
      });
      expect(layer({ ...NOT_ENROLLED, requiredSince: now - 3 * DAY })).toMatchObject({
        satisfied: false,
        enrollment: { status: 'required', reason: 'grace_period_ended' },
      });
      expect(layer({ ...NOT_ENROLLED, enrolled: true })).toMatchObject({
        satisfied: true,
        enrollment: { status: 'enrolled' },
      });
    });

    it('a forced re-enrollment applies to anyone, on mapped routes', () => {
      const forced = { ...NOT_ENROLLED, reenrollmentForcedAt: now - 1000 };
      const none = compilePolicy({}, 1);
      expect(explainPolicy(none, { service: 'hr' }, {}, bob, forced, now).layers).toEqual([
        expect.objectContaining({
          id: 'enrollment',
          satisfied: false,
          enrollment: { status: 'required', reason: 'reenrollment_forced' },
        }),
      ]);
      expect(explainPolicy(none, {}, {}, bob, forced, now).layers).toEqual([]);
    });
  });
});
