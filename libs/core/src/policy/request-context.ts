import type { RiskSignals } from '../risk/risk-signals';

/**
 * The client as the adapter saw it, for the built-in risk engine. Read per request and
 * never stored as such: history keeps only a device family, a country and coarse
 * coordinates, and only after a verification (docs/risk.md).
 */
export interface RequestClient {
  /** The adapter's `req.ip` (Express honours its 'trust proxy' setting), never X-Forwarded-For itself. */
  ip?: string;
  /** The User-Agent header, '' when absent: only its browser and OS family is used. */
  userAgent?: string;
  /** From the host's trusted coordinate headers or its GeoIP resolver. */
  latitude?: number;
  longitude?: number;
  /** How far off the coordinates may be, in km. */
  accuracyKm?: number;
}

/**
 * What the adapter learned about the request, through the app's hooks. Nothing here is
 * read from the client directly: country comes from a LocationResolver, trust from a
 * DeviceTrust hook, risk from a RiskSignal; `client` is only ever scored, never trusted.
 */
export interface RequestContext {
  /** ISO 3166-1 alpha-2, upper case; undefined when unknown. */
  country?: string;
  deviceTrusted?: boolean;
  /** 0..1 */
  deviceTrust?: number;
  /**
   * 0..1. From the adapter, the host's `riskSignal`; when the built-in engine assesses the
   * request, the core replaces it with the combined score before deciding.
   */
  risk?: number;
  /**
   * Why `risk` is what it is, once the core's risk engine assessed the request. Audited and
   * explained; never sent to the client.
   */
  riskSignals?: RiskSignals;
  client?: RequestClient;
  /** An API key or service account rather than a person. */
  machine?: boolean;
  /**
   * The raw trusted-device cookie, when the browser sent one. Checked only when a
   * missing step allows a trusted device; never stored, logged or used as a baseline.
   */
  deviceCookie?: string;
}

/** The protected thing: a service, an operation inside it, its sensitivity labels, and the route's own demand. */
export interface MfaTarget {
  service?: string;
  operation?: string;
  sensitivity?: string[];
  requirement?: import('./requirement').Requirement;
  /** `METHOD /path/:pattern`, for audit and what-if only: no decision reads it. */
  route?: string;
}

/** The context a verification happened in; later requests are compared against it. */
export interface VerificationBaseline {
  country?: string;
  deviceTrusted?: boolean;
  risk?: number;
}

/**
 * The fields `continuous` compares, by name, from a request's context or a stored baseline:
 * whatever else either may hold (a cookie, signals, a field a baseline may learn) stays out of
 * the baseline and of the audit trail's replay records.
 */
export function baselineOf(context: RequestContext | VerificationBaseline): VerificationBaseline {
  const baseline: VerificationBaseline = {};
  if (context.country !== undefined) baseline.country = context.country;
  if (context.deviceTrusted !== undefined) baseline.deviceTrusted = context.deviceTrusted;
  if (context.risk !== undefined) baseline.risk = context.risk;
  return baseline;
}

/** Grants are bound to service and operation together, so equal operation names in two services never mix. */
export function scopeOf(target: Pick<MfaTarget, 'service' | 'operation'>): string {
  return `${target.service ?? ''}/${target.operation ?? ''}`;
}
