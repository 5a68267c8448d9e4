import { DEFAULT_OTP_PROFILE, OtpCodeFactor, resolveOtpProfile } from './otp-code.factor';

describe('OtpCodeFactor', () => {
  const otp = new OtpCodeFactor();

  it('makes six digits by default, with every digit about equally likely', () => {
    const counts = Array(10).fill(0);
    for (let i = 0; i < 2000; i++) {
      const code = otp.generate(DEFAULT_OTP_PROFILE);
      expect(code).toMatch(/^\d{6}$/);
      for (const d of code) counts[Number(d)]++;
    }
    // 12,000 digits: each expected 1,200; a modulo bias or a stuck digit would fall far outside this.
    for (const c of counts) expect(c).toBeGreaterThan(1000);
  });

  it('groups for reading and takes input with or without the grouping', () => {
    const profile = resolveOtpProfile({ length: 8, groupSize: 4 });
    const code = otp.generate(profile);
    expect(code).toMatch(/^\d{4}-\d{4}$/);
    expect(otp.normalize(code, profile)).toBe(code.replace('-', ''));
    expect(otp.normalize(` ${code.replace('-', ' ')} `, profile)).toBe(code.replace('-', ''));
    expect(otp.normalize('1234-567', profile)).toBeNull();
    expect(otp.normalize('1234-567x', profile)).toBeNull();
  });

  it('refuses profiles outside the limits', () => {
    expect(() => resolveOtpProfile({ length: 4 })).toThrow(/6 to 10/);
    expect(() => resolveOtpProfile({ validitySeconds: 601 })).toThrow(/30 to 600/);
    expect(() => resolveOtpProfile({ groupSize: 6 })).toThrow(/groupSize/);
    expect(resolveOtpProfile({}, { validitySeconds: 600 }).validitySeconds).toBe(600);
  });
});
