import { assuranceOf } from '../factors/assurance';
import { compilePolicy } from './compile-policy';
import type { Evidence, VerifiedFactor } from './decide';
import { evaluateChain } from './evaluate-chain';
import type { RequirementStep } from './requirement';

const NOW = 1_000_000_000;
const passkey = (at: number, userVerified: boolean): VerifiedFactor => ({
  factor: 'webauthn',
  verifiedAt: at,
  eventId: `webauthn@${at}`,
  assurance: assuranceOf('webauthn', { backupEligible: false, userVerified }),
});
const totp = (at: number): VerifiedFactor => ({ factor: 'totp', verifiedAt: at, eventId: `totp@${at}` });
const evidence = (...verified: VerifiedFactor[]): Evidence => ({ userId: 'u', groups: [], verified, grants: [] });
const chain: RequirementStep[] = [{ factors: ['totp', 'webauthn'] }, { factors: ['sms'] }];

describe('evaluateChain', () => {
  const twoFactors = compilePolicy({ methods: { passkeyAsTwoFactors: true } }, 1);
  const plain = compilePolicy({}, 1);

  it('lets a passkey with user verification meet two steps only with passkeyAsTwoFactors', () => {
    expect(evaluateChain(chain, twoFactors, {}, evidence(passkey(NOW - 10, true)), 's', NOW).satisfied).toBe(true);
    expect(evaluateChain(chain, plain, {}, evidence(passkey(NOW - 10, true)), 's', NOW).satisfied).toBe(false);
    expect(evaluateChain(chain, twoFactors, {}, evidence(passkey(NOW - 10, false)), 's', NOW).satisfied).toBe(false);
  });

  it('does not get worse when the user verified more: an earlier TOTP does not hide the passkey', () => {
    const result = evaluateChain(chain, twoFactors, {}, evidence(totp(NOW - 20), passkey(NOW - 10, true)), 's', NOW);
    expect(result.satisfied).toBe(true);
  });

  it('never lets a trusted device stand in for a phishing-resistant or minAal step', () => {
    const pr: RequirementStep[] = [{ factors: 'any', allowTrustedDevice: true, phishingResistant: true }];
    const aal: RequirementStep[] = [{ factors: 'any', allowTrustedDevice: true, minAal: 2 }];
    const plainStep: RequirementStep[] = [{ factors: 'any', allowTrustedDevice: true }];
    const trusted = { deviceTrusted: true };
    expect(evaluateChain(pr, plain, trusted, evidence(), 's', NOW).satisfied).toBe(false);
    expect(evaluateChain(aal, plain, trusted, evidence(), 's', NOW).satisfied).toBe(false);
    expect(evaluateChain(plainStep, plain, trusted, evidence(), 's', NOW).satisfied).toBe(true);
  });

  it('counts only verifications that reach the step’s level', () => {
    const synced: VerifiedFactor = {
      ...passkey(NOW - 10, true),
      assurance: assuranceOf('webauthn', { backupEligible: true, userVerified: true }),
    };
    const aal3: RequirementStep[] = [{ factors: 'any', minAal: 3 }];
    expect(evaluateChain(aal3, plain, {}, evidence(synced, totp(NOW - 5)), 's', NOW).satisfied).toBe(false);
    expect(evaluateChain(aal3, plain, {}, evidence(passkey(NOW - 10, false)), 's', NOW).satisfied).toBe(true);
  });
});
