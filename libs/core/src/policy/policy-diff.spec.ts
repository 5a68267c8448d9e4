import { compilePolicy } from './compile-policy';
import type { PolicyDocument } from './policy-document';
import { diffPolicies } from './policy-diff';
import { stepWords } from './requirement-words';

const BEFORE: PolicyDocument = {
  services: {
    payments: {
      group: 'money',
      sensitivity: ['high'],
      require: { any: true, allowTrustedDevice: true },
      operations: {
        transfer: { require: { any: true, maxAge: 300 } },
        refund: { require: 'totp' },
      },
    },
    wiki: { require: 'any' },
  },
  rules: [
    { id: 'embargo', when: { countries: ['KP'] }, deny: true },
    { id: 'money-abroad', when: { serviceGroups: ['money'], notCountries: ['TR'] }, require: 'totp' },
    { id: 'contractors', when: { groups: ['contractors'] }, require: { any: true, maxAge: 900 } },
  ],
};

const AFTER: PolicyDocument = {
  methods: { enabled: ['totp', 'webauthn', 'backup_code'] },
  continuous: { countryChange: true },
  services: {
    payments: {
      group: 'finance',
      sensitivity: ['high'],
      require: { any: true, allowTrustedDevice: true },
      operations: {
        transfer: { require: { factor: 'webauthn', phishingResistant: true, maxAge: 0 } },
      },
    },
    hr: { require: { chain: ['totp', { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
  },
  rules: [
    { id: 'embargo', when: { countries: ['KP', 'IR'] }, deny: true },
    { id: 'money-abroad', when: { serviceGroups: ['finance'], notCountries: ['TR'] }, require: 'totp' },
    { id: 'night-shift', when: { groups: ['ops'], minRisk: 0.5 }, require: { any: true, maxAge: 60 } },
  ],
};

describe('diffPolicies', () => {
  const diff = diffPolicies(compilePolicy(BEFORE, 3), compilePolicy(AFTER, 4));

  it('names the changed requirements per service and operation, in words', () => {
    expect(diff.services).toEqual([
      {
        service: 'hr',
        change: 'added',
        before: null,
        after: 'TOTP, once per session, then backup code or TOTP, every time',
        changes: [],
      },
      {
        service: 'payments',
        change: 'changed',
        before: 'any factor, once per session, or a trusted device',
        after: 'any factor, once per session, or a trusted device',
        changes: [
          'group: money → finance',
          'rule money-abroad changed: serviceGroups money; notCountries TR: TOTP, once per session → serviceGroups finance; notCountries TR: TOTP, once per session',
        ],
      },
      {
        service: 'payments',
        operation: 'refund',
        change: 'removed',
        before: 'TOTP, once per session',
        after: null,
        changes: [],
      },
      {
        service: 'payments',
        operation: 'transfer',
        change: 'changed',
        before: 'any factor, 5 min',
        after: 'passkey (phishing-resistant), every time',
        changes: ['requirement: any factor, 5 min → passkey (phishing-resistant), every time'],
      },
      { service: 'wiki', change: 'removed', before: 'any factor, once per session', after: null, changes: [] },
    ]);
  });

  it('lists rules by id: added, removed, and conditions that changed value by value', () => {
    expect(diff.rules).toEqual([
      {
        ruleId: 'embargo',
        change: 'changed',
        before: 'countries KP: deny',
        after: 'countries KP, IR: deny',
        changes: ['when countries +IR'],
      },
      expect.objectContaining({
        ruleId: 'money-abroad',
        change: 'changed',
        changes: ['when serviceGroups +finance −money'],
      }),
      expect.objectContaining({ ruleId: 'contractors', change: 'removed', after: null }),
      {
        ruleId: 'night-shift',
        change: 'added',
        before: null,
        after: 'groups ops; minRisk 0.5: any factor, 1 min',
        changes: [],
      },
    ]);
  });

  it('lists settings that change what is enforced', () => {
    expect(diff.settings).toEqual([
      {
        setting: 'methods.enabled',
        before: 'totp, sms, email, backup_code, webauthn',
        after: 'totp, webauthn, backup_code',
      },
      { setting: 'continuous.countryChange', before: 'false', after: 'true' },
    ]);
    expect(diff).toMatchObject({ from: { version: 3 }, to: { version: 4 }, identical: false });
  });

  it('finds nothing between equal documents written differently', () => {
    const reordered = JSON.parse(JSON.stringify({ rules: BEFORE.rules, services: BEFORE.services }));
    const same = diffPolicies(compilePolicy(BEFORE, 1), compilePolicy(reordered, 2));
    expect(same).toMatchObject({ identical: true, services: [], rules: [], settings: [] });
  });

  it('compares lists as sets: reordered countries, groups and labels are no change', () => {
    const doc = (countries: string[], labels: string[], groups: string[]): PolicyDocument => ({
      services: { payments: { sensitivity: labels, require: 'any' } },
      enrollment: { required: { groups } },
      rules: [{ id: 'embargo', when: { countries, groups }, deny: true }],
    });
    const reordered = diffPolicies(
      compilePolicy(doc(['KP', 'IR'], ['high', 'pii'], ['a', 'b']), 1),
      compilePolicy(doc(['IR', 'KP', 'IR'], ['pii', 'high'], ['b', 'a']), 2),
    );
    expect(reordered).toMatchObject({ identical: false, services: [], rules: [], settings: [] });
    // A real change beside a reordering names only what was added or removed.
    const changed = diffPolicies(
      compilePolicy(doc(['KP', 'IR'], ['high', 'pii'], ['a']), 1),
      compilePolicy(doc(['IR', 'CU', 'KP'], ['pii'], ['a']), 2),
    );
    expect(changed.rules).toEqual([expect.objectContaining({ ruleId: 'embargo', changes: ['when countries +CU'] })]);
    expect(changed.services).toEqual([
      expect.objectContaining({ service: 'payments', changes: ['sensitivity: high, pii → pii'] }),
    ]);
  });

  it('words a step the way a policy author would say it', () => {
    expect(stepWords({ factors: ['totp', 'backup_code'], maxAge: 600, minAal: 2 })).toBe(
      'TOTP or backup code (AAL2), 10 min',
    );
    expect(stepWords({ factors: 'any', maxAge: 7200 })).toBe('any factor, 2 h');
    expect(stepWords({ factors: ['sms'], maxAge: 45 })).toBe('SMS code, 45 s');
  });
});
