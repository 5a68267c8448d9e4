import { validatePolicy } from './validate-policy';

describe('validatePolicy', () => {
  it('accepts a full document', () => {
    expect(
      validatePolicy({
        methods: { enabled: ['totp', 'backup_code'] },
        defaults: { unmapped: 'none' },
        machinePrincipals: 'exempt',
        continuous: { countryChange: true, riskIncrease: 0.3, trustDrop: true },
        services: {
          payments: {
            group: 'money',
            sensitivity: ['high'],
            require: 'any',
            operations: {
              transfer: { require: { chain: [{ factor: 'totp' }, { anyOf: ['totp', 'backup_code'], maxAge: 0 }] } },
            },
          },
        },
        rules: [
          {
            id: 'admins',
            when: { groups: ['admins'], countries: ['TR', 'unknown'] },
            require: { factor: 'totp', maxAge: 300 },
          },
          { id: 'embargo', when: { countries: ['KP'] }, deny: true },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    ['not an object', [], '$', 'expected an object'],
    ['unknown top-level field', { rule: [] }, '$.rule', 'unknown field'],
    ['unknown factor', { rules: [{ id: 'a', require: 'fido' }] }, '$.rules[0].require', 'unknown factor "fido"'],
    [
      'negative maxAge in a chain',
      { rules: [{ id: 'a', require: { chain: ['totp', { anyOf: ['backup_code'], maxAge: -1 }] } }] },
      '$.rules[0].require.chain[1].maxAge',
      'whole seconds',
    ],
    [
      'two forms in one step',
      { rules: [{ id: 'a', require: { factor: 'totp', any: true } }] },
      '$.rules[0].require',
      'exactly one of',
    ],
    [
      'require and deny together',
      { rules: [{ id: 'a', require: 'any', deny: true }] },
      '$.rules[0]',
      'exactly one of: require, deny',
    ],
    [
      'duplicate rule ids',
      {
        rules: [
          { id: 'a', require: 'any' },
          { id: 'a', require: 'totp' },
        ],
      },
      '$.rules[1].id',
      'duplicate rule id',
    ],
    [
      'lower-case country',
      { rules: [{ id: 'a', when: { countries: ['tr'] }, require: 'any' }] },
      '$.rules[0].when.countries[0]',
      'ISO country',
    ],
    [
      'risk out of range',
      { rules: [{ id: 'a', when: { minRisk: 2 }, require: 'any' }] },
      '$.rules[0].when.minRisk',
      'from 0 to 1',
    ],
    [
      'trusted device with maxAge',
      { services: { s: { require: { any: true, maxAge: 60, allowTrustedDevice: true } } } },
      '$.services.s.require.allowTrustedDevice',
      'never satisfies',
    ],
    [
      'overlapping chain steps',
      { services: { s: { operations: { o: { require: { chain: ['totp', { any: true, maxAge: 60 }] } } } } } },
      '$.services.s.operations.o.require.chain[1]',
      'accepts "totp" like step 0',
    ],
    ['bad machinePrincipals', { machinePrincipals: 'skip' }, '$.machinePrincipals', '"exempt" or "enforce"'],
  ])('%s → %s', (_label, doc, path, message) => {
    const problems = validatePolicy(doc);
    expect(problems).toContainEqual(expect.objectContaining({ path, message: expect.stringContaining(message) }));
  });
});
