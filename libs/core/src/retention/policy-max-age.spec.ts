// Invariant: session verifications are kept at least as long as any policy version still
// running (enforced or report-only) could honour them.
import type { CompiledPolicy } from '../policy/compile-policy';
import { largestPolicyMaxAgeSeconds } from './policy-max-age';

describe('largestPolicyMaxAgeSeconds', () => {
  it('reads the longest finite maxAge of rules and the unmapped default, across versions', () => {
    const policy = (unmapped: number | undefined, ...rules: Array<number | undefined | null>) =>
      ({
        unmapped: { steps: [{ factors: 'any', maxAge: unmapped }] },
        rules: rules.map((maxAge, i) => ({
          id: `r${i}`,
          when: {},
          requirement: maxAge === null ? null : { steps: [{ factors: ['totp'] }, { factors: 'any', maxAge }] },
        })),
      }) as unknown as CompiledPolicy;
    expect(largestPolicyMaxAgeSeconds([policy(undefined, undefined, null)])).toBe(0);
    expect(largestPolicyMaxAgeSeconds([policy(60, 900, null, Infinity), null, policy(undefined, 7200)])).toBe(7200);
  });
});
