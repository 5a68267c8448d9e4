/**
 * The request traits a trusted-device fingerprint covers: the browser family and the
 * operating system family, read from the User-Agent. Versions, language, screen, time
 * zone and IP address are left out on purpose: they change under a legitimate user
 * (an update, a trip, `Accept-Language`) and would void the device for nothing.
 */
export interface DeviceTraits {
  browser: string;
  os: string;
}

const BROWSERS: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bChrome\/|\bCriOS\/|\bChromium\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
];

const SYSTEMS: Array<[RegExp, string]> = [
  [/\bWindows\b/, 'Windows'],
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biPod\b/, 'iOS'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function deviceTraits(userAgent: string | undefined): DeviceTraits {
  const ua = (userAgent ?? '').slice(0, 512);
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? 'Unknown browser';
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? 'unknown system';
  return { browser, os };
}

/** "Firefox on Linux": how the device appears in lists and notifications. */
export function deviceLabel(traits: DeviceTraits): string {
  return `${traits.browser} on ${traits.os}`;
}
