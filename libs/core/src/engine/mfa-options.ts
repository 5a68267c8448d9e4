import { Clock, systemClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import { LoggerAuditSink } from '../audit/logger-audit.sink';
import { CodeHasher, ScryptCost } from '../crypto/code-hasher';
import { KeyRing, KeyRingOptions } from '../crypto/key-ring';
import { MfaConfigurationError } from '../errors/mfa-configuration.error';
import { BackupCodeFactor, BackupCodeOptions } from '../factors/backup-code.factor';
import { TotpFactor, TotpFactorOptions } from '../factors/totp.factor';
import { DEFAULT_TOTP_PROFILE, TotpProfile } from '../factors/totp-profile';
import { AuditReader, AuditSink } from '../ports/audit-sink.port';
import { CounterStore } from '../ports/counter-store.port';
import { MfaStore } from '../ports/mfa-store.port';
import { SessionStateCache } from './session-state.cache';
import { OtpCodeFactor, OtpProfile, resolveOtpProfile } from '../factors/otp-code.factor';
import { EmailSender, SmsSender } from '../ports/delivery.port';
import { Notifier } from '../ports/notifier.port';
import { SessionInvalidationBus } from '../ports/session-invalidation.port';
import { MfaMessageStrings, resolveMessages } from '../delivery/otp-messages';
import { phoneNumbers } from '../delivery/phone-numbers';
import type { PolicyDocument } from '../policy/policy-document';

export interface ChannelLockout {
  /** Failed attempts per user on this channel before it locks. @default 5 */
  maxAttempts?: number;
  /** Seconds the first lock lasts (and the count is kept); each repeat doubles it. @default 900 */
  windowSeconds?: number;
}

export interface LockoutEvent {
  userId: string;
  /** A factor channel, or 'account' when account-wide waits begin (strike 1) or the account-wide cap is reached (strike 2). */
  channel: string;
  retryAfterSeconds: number;
  /** How many times this channel locked within a day, this one included. */
  strike: number;
}

export interface LockoutOptions extends ChannelLockout {
  /** Per-channel overrides, e.g. `{ backup_code: { maxAttempts: 3 } }`. */
  channels?: Record<string, ChannelLockout>;
  /** Each repeated lock within a day lasts this many times longer. @default 2 */
  growth?: number;
  /** The longest a channel lock may grow to, in seconds. @default 86400 */
  maxLockSeconds?: number;
  /**
   * Consecutive failures across all channels (and the app's own, fed in) after which the
   * account locks until the count's window ends; NIST 800-63B allows at most 100. The
   * delays below make reaching it take most of a day. @default 100
   */
  accountMaxAttempts?: number;
  /** Seconds the account-wide count is kept, from its first failure; a success clears it. @default 86400 */
  accountWindowSeconds?: number;
  /**
   * Consecutive failures after which every further attempt on the account waits: the
   * account is slowed down instead of locked, so someone holding only the password cannot
   * shut the owner out with one burst. @default 20
   */
  accountDelayAfter?: number;
  /** The first wait, in seconds; each further failure multiplies it by `growth`. @default 60 */
  accountDelaySeconds?: number;
  /** The longest wait between two attempts, in seconds. @default 900 */
  accountMaxDelaySeconds?: number;
  /** Called when a channel or the account locks, so the app's own login protection can react. */
  onLockout?: (event: LockoutEvent) => void;
}

/** Sending codes by SMS and email: cooldown, cost caps against SMS pumping, words. */
export interface DeliveryOptions {
  /** Seconds before a code for the same challenge or enrollment may be sent again. @default 30 */
  resendCooldownSeconds?: number;
  /** Codes sent to one user per hour / per day, all channels. @default 10 / 30 */
  perUserHour?: number;
  perUserDay?: number;
  /** Codes sent to one phone number or address per hour / per day, whoever asks. @default 5 / 15 */
  perDestinationHour?: number;
  perDestinationDay?: number;
  /** Country for phone numbers typed without `+` (ISO 3166 alpha-2, e.g. 'TR'). @default none: `+` required */
  defaultCountry?: string;
  /** Built-in words: 'en', 'tr', 'de'. @default 'en' */
  locale?: string;
  /** Your own words over the locale's; see MfaMessageStrings for the placeholders. */
  messages?: Partial<MfaMessageStrings>;
}

/** Options of the framework-free core. The Nest module and Express adapter accept these too. */
export interface MfaCoreOptions {
  /** Issuer shown in authenticator apps. @default 'nestjs-mfa' */
  issuer?: string;
  /** Keys for secrets at rest. Required: boot stops without a valid 32-byte key. */
  encryption: KeyRingOptions;
  store: MfaStore;
  /** @default InMemoryCounterStore (one instance) */
  counters?: CounterStore;
  /** @default LoggerAuditSink (JSON lines on stdout) */
  audit?: AuditSink;
  /** Where the admin audit API searches, e.g. the TypeORM audit sink. */
  auditReader?: AuditReader;
  /** @default the system clock */
  clock?: Clock;
  totp?: TotpFactorOptions & { profile?: Partial<TotpProfile> };
  backupCodes?: BackupCodeOptions & { scrypt?: ScryptCost };
  /** Codes sent by SMS and email: length, grouping, validity; per channel under `sms` / `email`. */
  otp?: Partial<OtpProfile> & { sms?: Partial<OtpProfile>; email?: Partial<OtpProfile> };
  /** Sends SMS codes; without one, SMS cannot be enrolled. */
  sms?: SmsSender;
  /** Sends email codes and, by default, notifications; without one, email cannot be enrolled. */
  email?: EmailSender;
  /** Tells users of factor changes. @default email to the user's bound addresses, when `email` is set */
  notifier?: Notifier;
  /**
   * The account's own email address, which the default notifier also writes to — so a
   * user with no email factor still hears of changes. @default bound email factors only
   */
  contactEmail?: (userId: string) => Promise<string | null> | string | null;
  delivery?: DeliveryOptions;
  /** Seconds a challenge stays open. @default 600 */
  challengeTtl?: number;
  /** Seconds a started enrollment may wait for its confirming code. @default 600 */
  enrollmentTtl?: number;
  /** Freshness (seconds) demanded before a user with factors changes them. @default 300 */
  reauthMaxAge?: number;
  lockout?: LockoutOptions;
  /**
   * Seconds this process may reuse a session's verification state without asking the
   * store. Exact for writes made by this process; other instances' writes arrive through
   * `sessionInvalidation` when given, else show up after at most this long — keep 0 with
   * several instances and no bus unless that delay is acceptable.
   * @default 0 (both adapters turn it on for their embedded SQLite database and with Redis counters)
   */
  sessionCacheTtl?: number;
  /**
   * Carries session-cache invalidations between instances, making the cache exact across
   * them (e.g. `redisCounters.sessionInvalidation()` from `nestjs-mfa/redis`).
   */
  sessionInvalidation?: SessionInvalidationBus;
  /** The first policy version, stored as version 1 when the store holds none yet. */
  policy?: PolicyDocument;
  /** Seconds between checks for a version activated by another instance. @default 5 */
  policyRefreshSeconds?: number;
}

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

export interface ResolvedMfaContext {
  issuer: string;
  keyRing: KeyRing;
  store: MfaStore;
  counters: CounterStore;
  audit: AuditSink;
  auditReader?: AuditReader;
  clock: Clock;
  totp: TotpFactor;
  totpProfile: TotpProfile;
  backupCodes: BackupCodeFactor;
  hasher: CodeHasher;
  otp: OtpCodeFactor;
  otpProfiles: { sms: OtpProfile; email: OtpProfile };
  sms?: SmsSender;
  email?: EmailSender;
  notifier?: Notifier;
  contactEmail?: (userId: string) => Promise<string | null> | string | null;
  delivery: ResolvedDelivery;
  challengeTtlMs: number;
  enrollmentTtlMs: number;
  reauthMaxAge: number;
  lockout: ResolvedLockout;
  sessionCache: SessionStateCache;
  sessionInvalidation?: SessionInvalidationBus;
  bootPolicy?: PolicyDocument;
  policyRefreshMs: number;
}

export function resolveMfaOptions(options: MfaCoreOptions): ResolvedMfaContext {
  if (!options?.store) throw new MfaConfigurationError('nestjs-mfa needs a store: pass `store` (for example TypeOrmMfaStore).');
  const totpProfile = { ...DEFAULT_TOTP_PROFILE, ...options.totp?.profile };
  if (![6, 8].includes(totpProfile.digits)) throw new MfaConfigurationError('totp.profile.digits must be 6 or 8.');
  if (!['sha1', 'sha256', 'sha512'].includes(totpProfile.algorithm)) {
    throw new MfaConfigurationError('totp.profile.algorithm must be sha1, sha256 or sha512.');
  }
  if (options.sms) phoneNumbers(); // a missing libphonenumber-js stops boot, not the first SMS enrollment
  const clock = options.clock ?? systemClock;
  return {
    issuer: options.issuer ?? 'nestjs-mfa',
    keyRing: new KeyRing(options.encryption),
    store: options.store,
    counters: options.counters ?? new InMemoryCounterStore(),
    audit: options.audit ?? new LoggerAuditSink(),
    auditReader: options.auditReader,
    clock,
    totp: new TotpFactor(options.totp),
    totpProfile,
    backupCodes: new BackupCodeFactor(options.backupCodes),
    hasher: new CodeHasher(options.backupCodes?.scrypt),
    otp: new OtpCodeFactor(),
    otpProfiles: { sms: resolveOtpProfile(options.otp, options.otp?.sms), email: resolveOtpProfile(options.otp, options.otp?.email) },
    sms: options.sms,
    email: options.email,
    notifier: options.notifier,
    contactEmail: options.contactEmail,
    delivery: resolveDelivery(options.delivery ?? {}),
    challengeTtlMs: (options.challengeTtl ?? 600) * 1000,
    enrollmentTtlMs: (options.enrollmentTtl ?? 600) * 1000,
    reauthMaxAge: options.reauthMaxAge ?? 300,
    sessionCache: new SessionStateCache((options.sessionCacheTtl ?? 0) * 1000, clock, 50_000, options.sessionInvalidation),
    sessionInvalidation: options.sessionInvalidation,
    bootPolicy: options.policy,
    policyRefreshMs: (options.policyRefreshSeconds ?? 5) * 1000,
    lockout: resolveLockout(options.lockout ?? {}),
  };
}

function resolveDelivery(options: DeliveryOptions): ResolvedDelivery {
  const count = (name: keyof DeliveryOptions, fallback: number): number => {
    const value = (options[name] as number | undefined) ?? fallback;
    if (!Number.isInteger(value) || value < 1) throw new MfaConfigurationError(`delivery.${name} must be a whole number, 1 or more (got ${value}).`);
    return value;
  };
  const cooldown = options.resendCooldownSeconds ?? 30;
  if (!Number.isInteger(cooldown) || cooldown < 0) throw new MfaConfigurationError(`delivery.resendCooldownSeconds must be 0 or more (got ${cooldown}).`);
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
  if (accountMaxAttempts > 100) throw new MfaConfigurationError('lockout.accountMaxAttempts must be at most 100 (NIST 800-63B).');
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
