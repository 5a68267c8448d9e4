import { isDegrees } from '../../core/src';
import type { GeoLocation, MfaSubject, RequestClient, RequestContext } from '../../core/src';
import { readCookie } from './cookies';
import type { MfaOptions } from './mfa-options';
import type { MfaRequest } from './subject-resolvers';

function headerCountry(req: MfaRequest, header: string): string | undefined {
  const value = req.headers?.[header.toLowerCase()];
  return countryCode(typeof value === 'string' ? value : undefined);
}

function countryCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  return code && /^[A-Z]{2}$/.test(code) && code !== 'XX' ? code : undefined;
}

function headerDegrees(req: MfaRequest, header: string, limit: 90 | 180): number | undefined {
  const value = req.headers?.[header.toLowerCase()];
  const degrees = typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return isDegrees(degrees, limit) ? degrees : undefined;
}

/**
 * True when no app hook has to be awaited: the context comes from the trusted headers and,
 * when there is one, the GeoIP resolver, awaited only if it answers with a promise.
 */
export function contextIsSynchronous(options: MfaOptions): boolean {
  return !options.location && !options.deviceTrust && !options.riskSignal && !options.isMachinePrincipal;
}

/**
 * The client for the core's risk engine: the adapter's `req.ip`, the User-Agent ('' when
 * absent, itself a device family), and the edge's coordinates when its headers are trusted.
 */
function clientOf(req: MfaRequest, options: MfaOptions): RequestClient {
  const userAgent = req.headers?.['user-agent'];
  const client: RequestClient = { userAgent: typeof userAgent === 'string' ? userAgent : '' };
  if (typeof req.ip === 'string' && req.ip) client.ip = req.ip;
  const headers = options.trustedCoordinateHeaders;
  const latitude = headers && headerDegrees(req, headers.latitude, 90);
  const longitude = headers && headerDegrees(req, headers.longitude, 180);
  if (latitude !== undefined && longitude !== undefined) Object.assign(client, { latitude, longitude });
  return client;
}

/** The trusted headers and the client, nothing else: what the context is made of without hooks or GeoIP. */
export function headerOnlyContext(req: MfaRequest, options: MfaOptions): RequestContext {
  const country = options.trustedCountryHeader ? headerCountry(req, options.trustedCountryHeader) : undefined;
  const client = clientOf(req, options);
  const context: RequestContext = country ? { country, client } : { client };
  return withDeviceCookie(req, options, context);
}

/**
 * The context when no hooks are configured: the headers, then GeoIP for what they left open.
 * A promise only when the resolver returns one: `maxmindGeoIp` answers at once, so the
 * guard's synchronous fast path stays synchronous with it.
 */
export function hooklessContext(req: MfaRequest, options: MfaOptions): RequestContext | Promise<RequestContext> {
  const context = headerOnlyContext(req, options);
  const client = context.client!;
  if (!options.geoIp || !client.ip || (context.country && client.latitude !== undefined)) return context;
  const found = options.geoIp(client.ip);
  if (!(found instanceof Promise)) return locate(context, client, found);
  return found.then((location) => locate(context, client, location));
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
  if (contextIsSynchronous(options)) return hooklessContext(req, options);
  const client = clientOf(req, options);
  const context: RequestContext = { client };
  const country = options.location
    ? await options.location(req)
    : options.trustedCountryHeader
      ? headerCountry(req, options.trustedCountryHeader)
      : undefined;
  if (country) context.country = country.toUpperCase();
  if (options.geoIp && client.ip && (!context.country || client.latitude === undefined))
    locate(context, client, await options.geoIp(client.ip));
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

/**
 * GeoIP fills what the trusted headers and hooks left open. Its coordinates are taken only
 * when they are in the request's country, so a header and a database that disagree never
 * combine into a location neither of them gave.
 */
function locate(context: RequestContext, client: RequestClient, found: GeoLocation | undefined): RequestContext {
  if (!found) return context;
  const country = countryCode(found.country);
  context.country ??= country;
  const agrees = !country || country === context.country;
  const { latitude, longitude, accuracyKm } = found;
  if (!agrees || client.latitude !== undefined || !isDegrees(latitude, 90) || !isDegrees(longitude, 180))
    return context;
  Object.assign(client, { latitude, longitude });
  if (typeof accuracyKm === 'number' && accuracyKm >= 0) client.accuracyKm = accuracyKm;
  return context;
}
