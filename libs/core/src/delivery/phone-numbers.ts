import { requireOptionalPeer } from '../errors/optional-peer';

// Only what the core reads: libphonenumber-js's own types would put the optional peer into
// the published declarations, which then fail to compile in apps that never send SMS.
export interface ParsedPhoneNumber {
  number: string;
  countryCallingCode: string;
  nationalNumber: string;
  isValid(): boolean;
}

interface PhoneNumberLibrary {
  parsePhoneNumberFromString(text: string, defaultCountry?: string): ParsedPhoneNumber | undefined;
}

const INSTALL_LIBPHONENUMBER =
  'SMS codes need libphonenumber-js to check and mask phone numbers: run `npm install libphonenumber-js`, or leave `sms` unset.';

let library: PhoneNumberLibrary | undefined;

/** libphonenumber-js, loaded on first use, so an app that never sends SMS need not install it. */
export function phoneNumbers(): PhoneNumberLibrary {
  return (library ??= requireOptionalPeer(
    'libphonenumber-js',
    () => require('libphonenumber-js/max') as PhoneNumberLibrary,
    INSTALL_LIBPHONENUMBER,
  ));
}
