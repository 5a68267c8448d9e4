import type { MfaSubject, RequestContext } from '../../core/src';
import { readCookie } from './cookies';
import type { MfaOptions } from './mfa-options';
import type { MfaRequest } from './subject-resolvers';

function headerCountry(req: MfaRequest, header: string): string | undefined {
  const value = req.headers?.[header.toLowerCase()];
  const code = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  return code && /^[A-Z]{2}$/.test(code) && code !== 'XX' ? code : undefined;
}

/** True when every context signal can be read without calling an app hook. */
export function contextIsSynchronous(options: MfaOptions): boolean {
  return !options.location && !options.deviceTrust && !options.riskSignal && !options.isMachinePrincipal;
}

/** The context when no hooks are configured: at most the trusted country header. */
export function headerOnlyContext(req: MfaRequest, options: MfaOptions): RequestContext {
  const country = options.trustedCountryHeader ? headerCountry(req, options.trustedCountryHeader) : undefined;
  const context: RequestContext = country ? { country } : {};
  return withDeviceCookie(req, options, context);
}

export function deviceCookieName(options: MfaOptions): string {
  return options.trustedDeviceCookie?.name ?? 'mfa_device';
}

function withDeviceCookie(req: MfaRequest, options: MfaOptions, context: RequestContext): RequestContext {
  const cookie = readCookie(req, deviceCookieName(options));
  if (cookie) context.deviceCookie = cookie;
  return context;
}

/** Asks the app's hooks about this request; a hook that fails makes the request fail closed. */
export async function resolveRequestContext(
  req: MfaRequest,
  subject: MfaSubject,
  options: MfaOptions,
): Promise<RequestContext> {
  if (contextIsSynchronous(options)) return headerOnlyContext(req, options);
  const context: RequestContext = {};
  const country = options.location
    ? await options.location(req)
    : options.trustedCountryHeader
      ? headerCountry(req, options.trustedCountryHeader)
      : undefined;
  if (country) context.country = country.toUpperCase();
  if (options.deviceTrust) {
    const trust = await options.deviceTrust(req, subject);
    context.deviceTrusted = trust.trusted;
    if (trust.score !== undefined) context.deviceTrust = trust.score;
  }
  if (options.riskSignal) {
    const risk = await options.riskSignal(req, subject);
    if (risk !== undefined) context.risk = risk;
  }
  if (options.isMachinePrincipal) context.machine = await options.isMachinePrincipal(req, subject);
  return withDeviceCookie(req, options, context);
}
