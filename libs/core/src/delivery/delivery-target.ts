import { MfaError } from '../errors/mfa.error';
import { phoneNumbers } from './phone-numbers';

export type DeliveryChannel = 'sms' | 'email';

/**
 * A phone number as E.164, or null when it is not a valid, dialable number. `+` numbers
 * need no country; national ones need `defaultCountry`.
 */
export function toE164(input: string, defaultCountry?: string): string | null {
  if (typeof input !== 'string' || input.length > 32 || !/^[+\d\s().-]+$/.test(input)) return null;
  const parsed = phoneNumbers().parsePhoneNumberFromString(input, defaultCountry);
  return parsed && parsed.isValid() ? parsed.number : null;
}

// A deliberately plain check: one @, a dotted domain, no spaces or control characters.
const EMAIL =
  /^[^\s@<>()[\]\\,;:"\u0000-\u001f]{1,64}@(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** The address with its domain lower-cased, or null. */
export function normalizeEmail(input: string): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (!EMAIL.test(trimmed)) return null;
  const at = trimmed.lastIndexOf('@');
  return trimmed.slice(0, at) + trimmed.slice(at).toLowerCase();
}

/** Validates what a user typed for a channel; a bad value is a 400 with a clear code. */
export function parseDeliveryTarget(channel: DeliveryChannel, input: string, defaultCountry?: string): string {
  if (channel === 'sms') {
    const e164 = toE164(input, defaultCountry);
    if (!e164) throw new MfaError('INVALID_PHONE_NUMBER');
    return e164;
  }
  const email = normalizeEmail(input);
  if (!email) throw new MfaError('INVALID_EMAIL_ADDRESS');
  return email;
}
