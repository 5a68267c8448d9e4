import { phoneNumbers } from './phone-numbers';

/**
 * The only place a phone number or email address is turned into what a client, a log
 * or an audit line may see. Full targets exist only sealed in the store and in the
 * message handed to the provider.
 */
export function maskTarget(channel: 'sms' | 'email', target: string): string {
  return channel === 'sms' ? maskPhone(target) : maskEmail(target);
}

/** `+905321234512` → `+90 *** *** **12`: the country and the last two digits. */
export function maskPhone(e164: string): string {
  const parsed = phoneNumbers().parsePhoneNumberFromString(e164);
  const country = parsed ? `+${parsed.countryCallingCode}` : '+';
  const national = parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, '');
  const hidden = national.slice(0, -2).replace(/\d/g, '*') + national.slice(-2);
  const groups = [hidden.slice(0, 3), hidden.slice(3, 6), hidden.slice(6)].filter(Boolean);
  return `${country} ${groups.join(' ')}`;
}

/** `yusuf@example.com` → `y***@example.com`: the first letter and the domain. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${address[0]}***${address.slice(at)}`;
}
