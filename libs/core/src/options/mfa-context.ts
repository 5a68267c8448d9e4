import type { Clock } from '../clock/clock';
import type { CodeHasher } from '../crypto/code-hasher';
import type { KeyRing } from '../crypto/key-ring';
import type { SessionStateCache } from '../enforcement/session-state.cache';
import type { BackupCodeFactor } from '../factors/backup-code.factor';
import type { OtpCodeFactor } from '../factors/otp-code.factor';
import type { WebAuthnCeremony } from '../factors/passkey/webauthn.ceremony';
import type { TotpFactor } from '../factors/totp.factor';
import type { PolicyDocument } from '../policy/policy-document';
import type { AuditReader, AuditSink } from '../ports/audit-sink.port';
import type { CounterStore } from '../ports/counter-store.port';
import type { EmailSender, SmsSender } from '../ports/delivery.port';
import type { MfaStore } from '../ports/mfa-store.port';
import type { Notifier } from '../ports/notifier.port';
import type { RiskHistoryStore } from '../ports/risk-history.port';
import type { SessionInvalidationBus } from '../ports/session-invalidation.port';
import type { ResolvedOptions } from './resolve-options';

/**
 * Everything the services may draw on: the resolved values plus the ports and the objects
 * built from the options. Each service names the few parts it uses with `Pick<…>`, so its
 * constructor says what it touches and a test fakes only that.
 */
export interface ResolvedMfaContext extends ResolvedOptions {
  keyRing: KeyRing;
  store: MfaStore;
  counters: CounterStore;
  audit: AuditSink;
  auditReader?: AuditReader;
  clock: Clock;
  totp: TotpFactor;
  backupCodes: BackupCodeFactor;
  hasher: CodeHasher;
  otp: OtpCodeFactor;
  /** null: passkeys are not configured. */
  webauthn: WebAuthnCeremony | null;
  sms?: SmsSender;
  email?: EmailSender;
  notifier?: Notifier;
  contactEmail?: (userId: string) => Promise<string | null> | string | null;
  sessionCache: SessionStateCache;
  sessionInvalidation?: SessionInvalidationBus;
  /** Where the risk engine keeps its profiles (the store's, else in memory). */
  riskHistory: RiskHistoryStore;
  bootPolicy?: PolicyDocument;
}
