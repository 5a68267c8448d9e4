/**
 * What the adapter learned about the request, through the app's hooks. Nothing here is
 * read from the client directly: country comes from a LocationResolver, trust from a
 * DeviceTrust hook, risk from a RiskSignal.
 */
export interface RequestContext {
  /** ISO 3166-1 alpha-2, upper case; undefined when unknown. */
  country?: string;
  deviceTrusted?: boolean;
  /** 0..1 */
  deviceTrust?: number;
  /** 0..1 */
  risk?: number;
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
}

/** The context a verification happened in; later requests are compared against it. */
export interface VerificationBaseline {
  country?: string;
  deviceTrusted?: boolean;
  risk?: number;
}

export function baselineOf(context: RequestContext): VerificationBaseline {
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
