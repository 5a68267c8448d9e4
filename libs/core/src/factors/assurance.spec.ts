import { assuranceOf, assuranceOfRecord, highestAal, isPhishingResistant } from './assurance';
import { FACTOR_TYPES } from './factor-type';

describe('assurance (NIST 800-63B AAL, RFC 8176 amr)', () => {
  it('an email code reaches AAL1 only: email is not an out-of-band authenticator at AAL2', () => {
    expect(assuranceOf('email')).toEqual({ aal: 1, amr: ['otp'] });
  });

  it.each([
    ['totp', ['otp']],
    ['backup_code', ['otp']],
    ['sms', ['sms']],
  ] as const)('%s reaches AAL2, one factor', (factor, amr) => {
    const assurance = assuranceOf(factor);
    expect(assurance).toEqual({ aal: 2, amr });
    expect(assurance.multiFactor).toBeUndefined();
  });

  it('a device-bound passkey is a hardware key: AAL3, hwk', () => {
    expect(assuranceOf('webauthn', { backupEligible: false, userVerified: false })).toEqual({
      aal: 3,
      amr: ['hwk', 'user'],
    });
  });

  it('a synced passkey can leave the device: AAL2, swk', () => {
    expect(assuranceOf('webauthn', { backupEligible: true, userVerified: false })).toEqual({
      aal: 2,
      amr: ['swk', 'user'],
    });
  });

  it('user verification makes a passkey multi-factor and adds pin, without changing its AAL', () => {
    expect(assuranceOf('webauthn', { backupEligible: false, userVerified: true })).toEqual({
      aal: 3,
      amr: ['hwk', 'user', 'pin'],
      multiFactor: true,
    });
    expect(assuranceOf('webauthn', { backupEligible: true, userVerified: true })).toEqual({
      aal: 2,
      amr: ['swk', 'user', 'pin'],
      multiFactor: true,
    });
  });

  it('a passkey with no evidence is taken as synced and unverified: never more than it can prove', () => {
    expect(assuranceOf('webauthn')).toEqual({ aal: 2, amr: ['swk', 'user'] });
  });

  it('highestAal is the ceiling of each factor, and no factor ever reaches beyond it', () => {
    expect(Object.fromEntries(FACTOR_TYPES.map((f) => [f, highestAal(f)]))).toEqual({
      totp: 2,
      sms: 2,
      email: 1,
      backup_code: 2,
      webauthn: 3,
    });
    const evidence = [false, true].flatMap((backupEligible) =>
      [false, true].map((userVerified) => ({ backupEligible, userVerified })),
    );
    for (const factor of FACTOR_TYPES)
      for (const passkey of factor === 'webauthn' ? evidence : [undefined])
        expect(assuranceOf(factor, passkey).aal).toBeLessThanOrEqual(highestAal(factor));
  });

  it('a record written before assurance was kept falls back to its factor type', () => {
    expect(assuranceOfRecord({ factor: 'email' })).toEqual({ aal: 1, amr: ['otp'] });
    expect(assuranceOfRecord({ factor: 'webauthn', assurance: null })).toEqual({ aal: 2, amr: ['swk', 'user'] });
    const kept = { aal: 3 as const, amr: ['hwk', 'user'] };
    expect(assuranceOfRecord({ factor: 'webauthn', assurance: kept })).toBe(kept);
  });

  it('only WebAuthn is phishing-resistant', () => {
    expect(FACTOR_TYPES.filter(isPhishingResistant)).toEqual(['webauthn']);
  });
});
