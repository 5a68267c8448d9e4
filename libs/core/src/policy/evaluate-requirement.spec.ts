import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { SessionFactorRecord } from '../ports/mfa-store.port';
import { isSatisfied } from './evaluate-requirement';
import { buildRequirement, NO_REQUIREMENT, requirementKey } from './requirement';

const now = 1_000_000_000;
const verified = (factor: 'totp' | 'backup_code', secondsAgo: number): SessionFactorRecord => ({
  sessionRef: 's', userId: 'u', factor, verifiedAt: now - secondsAgo * 1000,
});

describe('requirements', () => {
  it('none is always satisfied; any needs some verification', () => {
    expect(isSatisfied(NO_REQUIREMENT, [], now)).toBe(true);
    expect(isSatisfied(buildRequirement(), [], now)).toBe(false);
    expect(isSatisfied(buildRequirement(), [verified('backup_code', 9999)], now)).toBe(true);
  });

  it('anyOf accepts only the named factors', () => {
    const totpOnly = buildRequirement({ factors: ['totp'] });
    expect(isSatisfied(totpOnly, [verified('backup_code', 1)], now)).toBe(false);
    expect(isSatisfied(totpOnly, [verified('totp', 1)], now)).toBe(true);
  });

  it('maxAge is a sudo window measured on the server clock', () => {
    const stepUp = buildRequirement({ maxAge: 300 });
    expect(isSatisfied(stepUp, [verified('totp', 300)], now)).toBe(true);
    expect(isSatisfied(stepUp, [verified('totp', 301)], now)).toBe(false);
    expect(isSatisfied(stepUp, [verified('totp', 301), verified('backup_code', 10)], now)).toBe(true);
  });

  it('rejects nonsense at declaration time', () => {
    expect(() => buildRequirement({ maxAge: 0 })).toThrow(MfaConfigurationError);
    expect(() => buildRequirement({ maxAge: -5 })).toThrow(MfaConfigurationError);
    expect(() => buildRequirement({ factors: ['sms' as never] })).toThrow(/Unknown factor "sms"/);
  });

  it('gives equal demands the same key, so they share a pending challenge', () => {
    expect(requirementKey(buildRequirement({ factors: ['totp', 'backup_code'], maxAge: 60 }))).toBe(
      requirementKey(buildRequirement({ factors: ['backup_code', 'totp', 'totp'], maxAge: 60 })),
    );
    expect(requirementKey(buildRequirement())).not.toBe(requirementKey(buildRequirement({ maxAge: 60 })));
  });
});
