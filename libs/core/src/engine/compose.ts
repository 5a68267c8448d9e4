import { AuditTrail } from '../audit/audit-trail';
import { LoggerAuditSink } from '../audit/logger-audit.sink';
import { ChallengeService } from '../challenges/challenge.service';
import { VerificationCommitter } from '../challenges/verification-commit';
import { EmailFallback } from '../challenges/email-fallback';
import { systemClock } from '../clock/clock';
import { InMemoryCounterStore } from '../counters/in-memory-counter.store';
import { CodeHasher } from '../crypto/code-hasher';
import { KeyRing } from '../crypto/key-ring';
import { NotificationService } from '../delivery/notification.service';
import { OtpDeliveryService } from '../delivery/otp-delivery.service';
import { Enforcer } from '../enforcement/enforcer';
import { ExemptionService } from '../exemptions/exemption.service';
import { Reauthentication } from '../enforcement/reauthentication';
import { SessionStateCache } from '../enforcement/session-state.cache';
import { SessionStateService } from '../enforcement/session-state.service';
import { SessionVerifications } from '../enforcement/session-verifications';
import { BackupCodesService } from '../enrollment/backup-codes.service';
import { EnrollmentService } from '../enrollment/enrollment.service';
import { PendingEnrollments } from '../enrollment/pending-enrollments';
import { BackupCodeFactor } from '../factors/backup-code.factor';
import { BackupCodeVerifier } from '../factors/backup-code.verifier';
import { FactorVerifier } from '../factors/factor.verifier';
import { OtpCodeFactor } from '../factors/otp-code.factor';
import { TotpFactor } from '../factors/totp.factor';
import { TotpVerifier } from '../factors/totp.verifier';
import { PasskeyChallenges } from '../factors/passkey/passkey-challenges';
import { PasskeyEnrollment } from '../factors/passkey/passkey-enrollment';
import { PasskeyVerifier } from '../factors/passkey/passkey.verifier';
import { PasskeyRequests } from '../factors/passkey/passkey-requests';
import { WebAuthnCeremony } from '../factors/passkey/webauthn.ceremony';
import { FactorRemoval } from '../lifecycle/factor-removal';
import { LifecycleService } from '../lifecycle/lifecycle.service';
import { RecoveryTicketService } from '../lifecycle/recovery-ticket.service';
import { TrustedDeviceService } from '../lifecycle/trusted-device.service';
import { AttemptLimiter } from '../lockout/attempt-limiter';
import { SecurityNotices } from '../lockout/security-notices';
import type { MfaCoreOptions } from '../options/mfa-core.options';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { resolveOptions } from '../options/resolve-options';
import { PolicyService } from '../policy/policy.service';
import { InMemoryRiskHistoryStore } from '../risk/in-memory-risk-history.store';
import { RiskEngine } from '../risk/risk-engine';
import { isRiskHistoryStore } from '../risk/risk.options';
import { VerifiedRequestLearning } from '../risk/verified-request.learning';

/** The options checked, then the objects they call for built: the context every service draws from. */
export function createMfaContext(options: MfaCoreOptions): ResolvedMfaContext {
  const values = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  return {
    ...values,
    keyRing: new KeyRing(options.encryption),
    store: options.store,
    counters: options.counters ?? new InMemoryCounterStore(),
    audit: options.audit ?? new LoggerAuditSink(),
    auditReader: options.auditReader,
    clock,
    totp: new TotpFactor(options.totp),
    backupCodes: new BackupCodeFactor(options.backupCodes),
    hasher: new CodeHasher(options.backupCodes?.scrypt),
    otp: new OtpCodeFactor(),
    webauthn: values.webauthnConfig && new WebAuthnCeremony(values.webauthnConfig),
    sms: options.sms,
    email: options.email,
    notifier: options.notifier,
    contactEmail: options.contactEmail,
    sessionCache: new SessionStateCache(values.sessionCacheTtlMs, clock, 50_000, options.sessionInvalidation),
    sessionInvalidation: options.sessionInvalidation,
    // A store that keeps risk profiles too (the TypeORM store does) keeps them beside everything else.
    riskHistory:
      options.risk?.history ?? (isRiskHistoryStore(options.store) ? options.store : new InMemoryRiskHistoryStore()),
    bootPolicy: options.policy,
  };
}

export interface MfaServices {
  audit: AuditTrail;
  policy: PolicyService;
  delivery: OtpDeliveryService;
  notifications: NotificationService;
  limiter: AttemptLimiter;
  devices: TrustedDeviceService;
  enforcer: Enforcer;
  reauth: Reauthentication;
  challenges: ChallengeService;
  enrollments: EnrollmentService;
  passkeys: PasskeyEnrollment;
  passkeyRequests: PasskeyRequests;
  backupCodes: BackupCodesService;
  lifecycle: LifecycleService;
  recovery: RecoveryTicketService;
  sessions: SessionStateService;
  risk: RiskEngine;
  exemptions: ExemptionService;
}

/** The one place services are wired: each gets the context (narrowed by its own type) and the few services it calls. */
export function composeServices(ctx: ResolvedMfaContext): MfaServices {
  const audit = new AuditTrail(ctx.audit, ctx.clock);
  const delivery = new OtpDeliveryService(ctx, audit);
  const notifications = new NotificationService(ctx, audit, delivery);
  const notices = new SecurityNotices(ctx, audit, (who, notice) => notifications.notify(who, notice));
  const limiter = new AttemptLimiter(ctx, audit, notices);
  const totp = new TotpVerifier(ctx, audit, notices);
  const passkeyChallenges = new PasskeyChallenges(ctx);
  const verifier = new FactorVerifier(
    totp,
    new BackupCodeVerifier(ctx, audit, notifications),
    delivery,
    new PasskeyVerifier(ctx, audit, notices, passkeyChallenges),
  );
  const policy = new PolicyService(ctx, audit);
  const devices = new TrustedDeviceService(ctx, audit, policy, notifications);
  const verifications = new SessionVerifications(ctx);
  const risk = new RiskEngine(ctx);
  const challenges = new ChallengeService(
    ctx,
    audit,
    policy,
    limiter,
    verifier,
    delivery,
    devices,
    // Sessions are built below (their reauthentication needs the enforcer, which needs challenges): reached lazily.
    new VerificationCommitter(ctx, audit, verifications, {
      move: (userId, from, to): Promise<void> => sessions.move(userId, from, to),
      forget: (userId, sessionId): Promise<void> => sessions.forget(userId, sessionId),
    }),
    new EmailFallback(ctx, policy),
    new VerifiedRequestLearning(risk, audit),
  );
  const exemptions = new ExemptionService(ctx, audit, policy, notifications);
  const enforcer = new Enforcer(ctx, audit, policy, verifications, devices, challenges, delivery, risk, exemptions);
  const reauth = new Reauthentication(ctx, enforcer);
  const backupCodes = new BackupCodesService(ctx, audit, reauth, notifications);
  const pending = new PendingEnrollments(ctx, audit, verifications, backupCodes, notifications);
  const enrollments = new EnrollmentService(ctx, audit, limiter, totp, reauth, pending, delivery);
  const passkeys = new PasskeyEnrollment(ctx, audit, limiter, reauth, pending, passkeyChallenges);
  const removal = new FactorRemoval(ctx, audit, devices, notifications);
  const sessions: SessionStateService = new SessionStateService(ctx, audit, reauth);
  return {
    audit,
    policy,
    delivery,
    notifications,
    limiter,
    devices,
    enforcer,
    reauth,
    challenges,
    enrollments,
    passkeys,
    passkeyRequests: new PasskeyRequests(ctx, challenges, passkeyChallenges),
    backupCodes,
    lifecycle: new LifecycleService(ctx, audit, policy, reauth, removal, devices),
    recovery: new RecoveryTicketService(ctx, audit, removal, notifications),
    sessions,
    risk,
    exemptions,
  };
}
