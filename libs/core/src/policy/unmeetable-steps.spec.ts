import { FACTOR_TYPES } from '../factors/factor-type';
import { unmeetableSteps } from './unmeetable-steps';

const withoutPasskeys = FACTOR_TYPES.filter((f) => f !== 'webauthn');

describe('unmeetableSteps', () => {
  it('refuses a passkey step where passkeys are not configured, naming the fix', () => {
    const problems = unmeetableSteps(
      { services: { pay: { operations: { transfer: { require: { factor: 'webauthn', maxAge: 300 } } } } } },
      withoutPasskeys,
    );
    expect(problems).toEqual([
      { path: '$.services.pay.operations.transfer.require', message: expect.stringContaining('`webauthn` options') },
    ]);
  });

  it('refuses a phishing-resistant "any" step and a chain step that no enabled factor meets', () => {
    const problems = unmeetableSteps(
      {
        methods: { enabled: ['totp', 'sms'] },
        rules: [
          { id: 'a', require: { any: true, phishingResistant: true } },
          { id: 'b', require: { chain: ['totp', { factor: 'email' }] } },
        ],
      },
      FACTOR_TYPES,
    );
    expect(problems.map((p) => p.path)).toEqual(['$.rules[0].require', '$.rules[1].require.chain[1]']);
  });

  it('accepts steps some enabled factor can meet', () => {
    expect(
      unmeetableSteps(
        { defaults: { unmapped: { any: true, minAal: 2 } }, rules: [{ id: 'a', require: 'totp' }] },
        withoutPasskeys,
      ),
    ).toEqual([]);
  });
});
