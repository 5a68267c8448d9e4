import type { Clock } from '../clock/clock';
import type { ScryptCost } from '../crypto/code-hasher';
import type { KeyRingOptions } from '../crypto/key-ring';
import type { MfaMessageStrings } from '../delivery/otp-messages';
import type { BackupCodeOptions } from '../factors/backup-code.factor';
import type { OtpProfile } from '../factors/otp-code.factor';
import type { TotpFactorOptions } from '../factors/totp.factor';
import type { TotpProfile } from '../factors/totp-profile';
import type { WebAuthnOptions } from '../factors/passkey/webauthn.options';
import type { PolicyDocument } from '../policy/policy-document';
import type { AuditReader, AuditSink } from '../ports/audit-sink.port';
import type { CounterStore } from '../ports/counter-store.port';
import type { EmailSender, SmsSender } from '../ports/delivery.port';
import type { MfaStore } from '../ports/mfa-store.port';
import type { Notifier } from '../ports/notifier.port';
import type { SessionInvalidationBus } from '../ports/session-invalidation.port';
import type { RetentionOptions } from '../retention/retention.options';
import type { RiskOptions } from '../risk/risk.options';

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
  /** Passkeys (WebAuthn): the relying party and the origins ceremonies come from. Without it, passkeys are off. */
  webauthn?: WebAuthnOptions;
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
  /**
   * The built-in risk engine: new device, new country, impossible travel, unusual hour,
   * failure bursts and untrusted addresses, scored from each user's verified history
   * (docs/risk.md). @default on while the active policy reads risk (`enabled: 'auto'`)
   */
  risk?: RiskOptions;
  /**
   * Which guarded decisions are audited. 'refusals': challenges (`challenge.issued`) and
   * denials (`decision.denied`). 'all' adds `decision.allowed` for every request let through,
   * one event per guarded request, so what-if can also see who would newly be challenged or
   * denied; mind the volume. @default 'refusals'
   */
  decisionAudit?: 'refusals' | 'all';
  /**
   * Background pruning of expired and finished rows (challenges, codes, grants, devices,
   * recovery tickets, stale session verifications, risk profiles) and, with
   * `auditRetentionDays`, of old audit events (docs/operations.md#retention).
   * @default on, hourly, 500 rows per statement; audit events kept forever
   */
  retention?: RetentionOptions;
}
