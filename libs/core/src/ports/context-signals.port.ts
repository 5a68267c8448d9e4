import type { MfaSubject } from '../subject';

/**
 * Hooks the app supplies so policy can see the request's context. They receive the
 * adapter's request object opaquely; the core never inspects it.
 */
export type LocationResolver = (request: unknown) => string | undefined | Promise<string | undefined>;
export type DeviceTrustSignal = (
  request: unknown,
  subject: MfaSubject,
) => { trusted: boolean; score?: number } | Promise<{ trusted: boolean; score?: number }>;
export type RiskSignal = (request: unknown, subject: MfaSubject) => number | undefined | Promise<number | undefined>;
export type MachinePrincipalSignal = (request: unknown, subject: MfaSubject) => boolean | Promise<boolean>;
