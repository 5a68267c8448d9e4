import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { OtpProfile, resolveOtpProfile } from '../factors/otp-code.factor';
import { DEFAULT_TOTP_PROFILE, TotpProfile } from '../factors/totp-profile';
import { MfaMessageStrings, resolveMessages } from '../delivery/otp-messages';
import { phoneNumbers } from '../delivery/phone-numbers';
import { ResolvedWebAuthn, resolveWebAuthn } from '../factors/passkey/webauthn.options';
import { ResolvedRisk, resolveRisk } from '../risk/risk.options';
import type { ChannelLockout, DeliveryOptions, LockoutEvent, LockoutOptions, MfaCoreOptions } from './mfa-core.options';

/** Options merged with their defaults once, at construction. */
export interface ResolvedLockout {
  channel(channel: string): Required<ChannelLockout>;
  growth: number;
  maxLockMs: number;
  accountMaxAttempts: number;
  accountWindowMs: number;
  accountDelayAfter: number;
  accountDelayMs: number;
  accountMaxDelayMs: number;
  onLockout?: (event: LockoutEvent) => void;
}

export interface ResolvedDelivery {
  cooldownMs: number;
  perUserHour: number;
  perUserDay: number;
  perDestinationHour: number;
  perDestinationDay: number;
  defaultCountry?: string;
  messages: MfaMessageStrings;
}

/**
 * The options' plain values, defaults filled in and checked. Nothing here is built (no key
 * ring, factor or cache): `engine/compose.ts` does that, so a value can be checked alone.
 */
export interface ResolvedOptions {
  issuer: string;
  totpProfile: TotpProfile;
  otpProfiles: { sms: OtpProfile; email: OtpProfile };
  delivery: ResolvedDelivery;
  challengeTtlMs: number;
  enrollmentTtlMs: number;
  reauthMaxAge: number;
  sessionCacheTtlMs: number;
  lockout: ResolvedLockout;
  policyRefreshMs: number;
  risk: ResolvedRisk;
  decisionAudit: 'refusals' | 'all';
  /** null: passkeys are not configured. */
  webauthnConfig: ResolvedWebAuthn | null;
}

export function resolveOptions(options: MfaCoreOptions): ResolvedOptions {
  if (!options?.store)
    throw new MfaConfigurationError('nestjs-mfa needs a store: pass `store` (for example TypeOrmMfaStore).');
  const totpProfile = { ...DEFAULT_TOTP_PROFILE, ...options.totp?.profile };
  if (![6, 8].includes(totpProfile.digits)) throw new MfaConfigurationError('totp.profile.digits must be 6 or 8.');
  if (!['sha1', 'sha256', 'sha512'].includes(totpProfile.algorithm)) {
    throw new MfaConfigurationError('totp.profile.algorithm must be sha1, sha256 or sha512.');
  }
  if (options.sms) phoneNumbers(); // a missing libphonenumber-js stops boot, not the first SMS enrollment
  const issuer = options.issuer ?? 'nestjs-mfa';
  return {
    issuer,
    webauthnConfig: resolveWebAuthn(options.webauthn, issuer),
    totpProfile,
    otpProfiles: {
      sms: resolveOtpProfile(options.otp, options.otp?.sms),
      email: resolveOtpProfile(options.otp, options.otp?.email),
    },
    delivery: resolveDelivery(options.delivery ?? {}),
    challengeTtlMs: (options.challengeTtl ?? 600) * 1000,
    enrollmentTtlMs: (options.enrollmentTtl ?? 600) * 1000,
    reauthMaxAge: options.reauthMaxAge ?? 300,
    sessionCacheTtlMs: (options.sessionCacheTtl ?? 0) * 1000,
    policyRefreshMs: (options.policyRefreshSeconds ?? 5) * 1000,
    risk: resolveRisk(options.risk),
    decisionAudit: resolveDecisionAudit(options.decisionAudit),
    lockout: resolveLockout(options.lockout ?? {}),
  };
}

function resolveDecisionAudit(value: MfaCoreOptions['decisionAudit']): 'refusals' | 'all' {
  if (value === undefined || value === 'refusals' || value === 'all') return value ?? 'refusals';
  throw new MfaConfigurationError(`decisionAudit must be 'refusals' or 'all' (got ${JSON.stringify(value)}).`);
}

function resolveDelivery(options: DeliveryOptions): ResolvedDelivery {
  const count = (name: keyof DeliveryOptions, fallback: number): number => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!Number.isInteger(value) || value < 1)
      throw new MfaConfigurationError(`delivery.${name} must be a whole number, 1 or more (got ${value}).`);
    return value;
  };
  const cooldown = options.resendCooldownSeconds ?? 30;
  if (!Number.isInteger(cooldown) || cooldown < 0)
    throw new MfaConfigurationError(`delivery.resendCooldownSeconds must be 0 or more (got ${cooldown}).`);
  return {
    cooldownMs: cooldown * 1000,
    perUserHour: count('perUserHour', 10),
    perUserDay: count('perUserDay', 30),
    perDestinationHour: count('perDestinationHour', 5),
    perDestinationDay: count('perDestinationDay', 15),
    defaultCountry: options.defaultCountry,
    messages: resolveMessages(options.locale, options.messages),
  };
}

function resolveLockout(options: LockoutOptions): ResolvedLockout {
  const base = { maxAttempts: options.maxAttempts ?? 5, windowSeconds: options.windowSeconds ?? 900 };
  const accountMaxAttempts = options.accountMaxAttempts ?? 100;
  if (accountMaxAttempts > 100)
    throw new MfaConfigurationError('lockout.accountMaxAttempts must be at most 100 (NIST 800-63B).');
  return {
    channel: (channel) => ({ ...base, ...options.channels?.[channel] }),
    growth: options.growth ?? 2,
    maxLockMs: (options.maxLockSeconds ?? 86_400) * 1000,
    accountMaxAttempts,
    accountWindowMs: (options.accountWindowSeconds ?? 86_400) * 1000,
    accountDelayAfter: options.accountDelayAfter ?? 20,
    accountDelayMs: (options.accountDelaySeconds ?? 60) * 1000,
    accountMaxDelayMs: (options.accountMaxDelaySeconds ?? 900) * 1000,
    onLockout: options.onLockout,
  };
}
