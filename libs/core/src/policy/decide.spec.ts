import { compilePolicy } from './compile-policy';
import { decide, Evidence, UnspentGrant, VerifiedFactor } from './decide';
import { PolicyDocument } from './policy-document';
import { buildRequirement } from './requirement';

const now = 1_000_000_000_000;
const ago = (s: number) => now - s * 1000;
const v = (
  factor: VerifiedFactor['factor'],
  secondsAgo: number,
  extra: Partial<VerifiedFactor> = {},
): VerifiedFactor => ({ factor, verifiedAt: ago(secondsAgo), eventId: `${factor}-${secondsAgo}`, ...extra });
const evidence = (verified: VerifiedFactor[] = [], grants: UnspentGrant[] = [], groups: string[] = []): Evidence => ({
  userId: 'u',
  groups,
  verified,
  grants,
});

const POLICY: PolicyDocument = {
  machinePrincipals: 'exempt',
  continuous: { countryChange: true, riskIncrease: 0.3 },
  services: {
    admin: { group: 'back-office', require: { factor: 'totp', maxAge: 300 } },
    payments: {
      group: 'money',
      require: 'any',
      operations: {
        transfer: { require: { chain: [{ factor: 'totp' }, { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
      },
    },
  },
  rules: [
    { id: 'embargo', when: { countries: ['KP'] }, deny: true },
    { id: 'risky', when: { minRisk: 0.7 }, require: { any: true, maxAge: 60 } },
    {
      id: 'money-abroad',
      when: { serviceGroups: ['money'], notCountries: ['TR'] },
      require: { factor: 'totp', maxAge: 600 },
    },
  ],
};
const policy = compilePolicy(POLICY, 7);

describe('decide', () => {
  it('carries the policy version and the id of the rule that decided', () => {
    const d = decide(policy, { service: 'admin' }, { country: 'TR' }, evidence(), now);
    expect(d).toMatchObject({
      outcome: 'challenge',
      policyVersion: 7,
      ruleId: 'service:admin',
      remaining: [{ factors: ['totp'], maxAge: 300 }],
    });
    expect(decide(policy, { service: 'admin' }, { country: 'TR' }, evidence([v('totp', 10)]), now)).toMatchObject({
      outcome: 'allow',
      ruleIds: ['service:admin'],
    });
  });

  it('applies every matching requirement: the strictest decides, in a fixed order', () => {
    const ctx = { country: 'DE' };
    expect(decide(policy, { service: 'payments' }, ctx, evidence([v('backup_code', 10)]), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'money-abroad',
    });
    expect(decide(policy, { service: 'payments' }, ctx, evidence([v('totp', 10)]), now)).toMatchObject({
      outcome: 'allow',
      ruleIds: ['service:payments', 'money-abroad'],
    });
  });

  it('a matching deny wins; machine principals are exempt when the policy says so', () => {
    expect(decide(policy, { service: 'payments' }, { country: 'KP' }, evidence([v('totp', 1)]), now)).toMatchObject({
      outcome: 'deny',
      ruleId: 'embargo',
    });
    expect(decide(policy, { service: 'admin' }, { machine: true }, evidence(), now)).toMatchObject({
      outcome: 'allow',
      ruleIds: ['machine-principals'],
    });
    expect(
      decide(
        compilePolicy({ ...POLICY, machinePrincipals: 'enforce' }, 8),
        { service: 'admin' },
        { machine: true },
        evidence(),
        now,
      ).outcome,
    ).toBe('challenge');
  });

  it('a chain asks for what remains, and its single-use step needs a grant for this very operation', () => {
    const target = { service: 'payments', operation: 'transfer' };
    const ctx = { country: 'TR' };
    expect(decide(policy, target, ctx, evidence(), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'service:payments',
    });
    const afterTotp = decide(policy, target, ctx, evidence([v('totp', 100)]), now);
    expect(afterTotp).toMatchObject({
      outcome: 'challenge',
      ruleId: 'operation:payments/transfer',
      remaining: [{ factors: ['backup_code', 'totp'], maxAge: 0 }],
    });
    const grant = (scope: string, createdAt: number): UnspentGrant => ({
      id: `g-${scope}`,
      scope,
      factor: 'totp',
      createdAt,
      expiresAt: now + 60_000,
      eventId: `e-${scope}`,
    });
    expect(
      decide(policy, target, ctx, evidence([v('totp', 100)], [grant('payments/refund', ago(5))]), now).outcome,
    ).toBe('challenge');
    expect(
      decide(policy, target, ctx, evidence([v('totp', 100)], [grant('payments/transfer', ago(200))]), now).outcome,
    ).toBe('challenge'); // older than step 1
    expect(
      decide(policy, target, ctx, evidence([v('totp', 100)], [grant('payments/transfer', ago(5))]), now),
    ).toMatchObject({ outcome: 'allow', consumeGrants: ['g-payments/transfer'] });
  });

  it('a verification stops counting when the country changes or risk rises past the policy threshold', () => {
    const tr = v('totp', 10, { baseline: { country: 'TR', risk: 0.1 } });
    expect(decide(policy, { service: 'admin' }, { country: 'TR', risk: 0.1 }, evidence([tr]), now).outcome).toBe(
      'allow',
    );
    const moved = decide(policy, { service: 'admin' }, { country: 'DE', risk: 0.1 }, evidence([tr]), now);
    expect(moved).toMatchObject({
      outcome: 'challenge',
      ruleId: 'service:admin',
      drift: { kind: 'country', from: 'TR', to: 'DE' },
    });
    expect(moved.reasons.join(' ')).toContain('country changed from TR to DE');
    expect(decide(policy, { service: 'admin' }, { country: 'TR', risk: 0.5 }, evidence([tr]), now)).toMatchObject({
      outcome: 'challenge',
      drift: { kind: 'risk', from: 0.1, to: 0.5 },
    });
  });

  it('carries no drift when a step is simply unverified', () => {
    const fresh = decide(policy, { service: 'admin' }, { country: 'TR' }, evidence(), now);
    expect(fresh.outcome).toBe('challenge');
    expect(fresh).not.toHaveProperty('drift');
  });

  it('a trusted device waives only steps that allow it and carry no maxAge', () => {
    const doc: PolicyDocument = {
      services: { wiki: { require: { any: true, allowTrustedDevice: true } }, hr: { require: 'any' } },
    };
    const p = compilePolicy(doc, 1);
    expect(decide(p, { service: 'wiki' }, { deviceTrusted: true }, evidence(), now).outcome).toBe('allow');
    expect(decide(p, { service: 'hr' }, { deviceTrusted: true }, evidence(), now).outcome).toBe('challenge');
  });

  it('the route requirement is checked first; unmapped routes get only the default', () => {
    const p = compilePolicy(
      { defaults: { unmapped: 'any' }, rules: [{ id: 'all', require: { factor: 'totp', maxAge: 30 } }] },
      2,
    );
    expect(decide(p, {}, {}, evidence(), now)).toMatchObject({ outcome: 'challenge', ruleId: 'default' });
    expect(decide(p, {}, {}, evidence([v('backup_code', 1000)]), now).outcome).toBe('allow');
    expect(
      decide(p, { requirement: buildRequirement({ factors: ['backup_code'] }) }, {}, evidence([v('totp', 1)]), now),
    ).toMatchObject({ outcome: 'challenge', ruleId: 'route' });
  });

  it('sensitivity labels come from the route and from the service or operation in the policy', () => {
    const p = compilePolicy(
      {
        services: { hr: { sensitivity: ['pii'], operations: { export: { sensitivity: ['bulk'] } } } },
        rules: [
          { id: 'pii', when: { sensitivity: ['pii'] }, require: 'any' },
          { id: 'bulk', when: { sensitivity: ['bulk', 'secret'] }, require: { factor: 'totp', maxAge: 120 } },
        ],
      },
      3,
    );
    expect(decide(p, { service: 'hr' }, {}, evidence([v('backup_code', 10)]), now)).toMatchObject({
      outcome: 'allow',
      ruleIds: ['pii'],
    });
    expect(decide(p, { service: 'hr', operation: 'export' }, {}, evidence([v('backup_code', 10)]), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'bulk',
    });
    expect(decide(p, { service: 'wiki', sensitivity: ['secret'] }, {}, evidence([v('totp', 500)]), now)).toMatchObject({
      outcome: 'challenge',
      ruleId: 'bulk',
    });
    expect(decide(p, { service: 'wiki' }, {}, evidence(), now).outcome).toBe('allow');
  });

  it('group conditions match any listed group; notGroups excludes', () => {
    const p = compilePolicy(
      { rules: [{ id: 'staff', when: { groups: ['staff', 'admins'], notGroups: ['contractors'] }, require: 'totp' }] },
      4,
    );
    expect(decide(p, { service: 's' }, {}, evidence([], [], ['admins']), now).outcome).toBe('challenge');
    expect(decide(p, { service: 's' }, {}, evidence([], [], ['admins', 'contractors']), now).outcome).toBe('allow');
    expect(decide(p, { service: 's' }, {}, evidence([], [], ['guests']), now).outcome).toBe('allow');
  });
});
