import { maskEmail, maskPhone } from './mask-target';
import { normalizeEmail, toE164 } from './delivery-target';

describe('masking', () => {
  it.each([
    ['+905321234512', '+90 *** *** **12'],
    ['+14155552671', '+1 *** *** **71'],
    ['+442071838750', '+44 *** *** **50'],
    ['+4915123456789', '+49 *** *** ***89'],
  ])('%s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));

  it.each([
    ['yusuf@example.com', 'y***@example.com'],
    ['a@example.com', 'a***@example.com'],
    ['first.last+tag@mail.example.org', 'f***@mail.example.org'],
  ])('%s → %s', (email, masked) => expect(maskEmail(email)).toBe(masked));

  it('never keeps more than the last two digits of a number', () => {
    for (const phone of ['+905321234512', '+14155552671', '+4915123456789']) {
      expect(maskPhone(phone).replace(/\D/g, '').length).toBeLessThanOrEqual(phone.replace(/\D/g, '').length - 8);
    }
  });
});

describe('targets', () => {
  it('reads phone numbers as E.164, national ones only with a default country', () => {
    expect(toE164('+90 (532) 123-45-12')).toBe('+905321234512');
    expect(toE164('0532 123 45 12')).toBeNull();
    expect(toE164('0532 123 45 12', 'TR')).toBe('+905321234512');
    expect(toE164('+90 532 123 45')).toBeNull();
  });

  it('lower-cases only the domain of an address', () => {
    expect(normalizeEmail(' Yusuf@EXAMPLE.Com ')).toBe('Yusuf@example.com');
    expect(normalizeEmail('x@localhost')).toBeNull();
  });
});
