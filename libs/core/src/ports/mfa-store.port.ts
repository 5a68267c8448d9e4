import { TotpProfile } from '../factors/totp-profile';
import type { RequirementStep } from '../policy/requirement';
import type { VerificationBaseline } from '../policy/request-context';

export type FactorType = 'totp' | 'sms' | 'email' | 'backup_code';
/** Factors bound by enrollment; backup codes are issued, not enrolled. */
export type EnrollmentType = 'totp' | 'sms' | 'email';
export type EnrollmentStatus = 'pending' | 'active';

export interface EnrollmentRecord {
  id: string;
  userId: string;
  type: EnrollmentType;
  status: EnrollmentStatus;
  label: string | null;
  /** AES-GCM envelope from the key ring: the TOTP seed, or the phone number / address. */
  sealedSecret: string;
  keyId: string;
  /** TOTP only. */
  profile: TotpProfile | null;
  /** SMS and email only: what a client may see of the target (`y***@example.com`). */
  maskedTarget: string | null;
  /** The last accepted TOTP time step; null until the first acceptance. */
  lastStep: number | null;
  createdAt: number;
  confirmedAt: number | null;
  lastUsedAt: number | null;
}

export interface BackupCodeRecord {
  id: string;
  userId: string;
  codeHash: string;
}

/**
 * A code sent by SMS or email, bound to one user, channel and purpose
 * (`challenge:<id>` or `enroll:<enrollmentId>`). Only its keyed digest is stored.
 */
export interface OtpCodeRecord {
  id: string;
  userId: string;
  channel: 'sms' | 'email';
  enrollmentId: string;
  purpose: string;
  codeDigest: string;
  createdAt: number;
  expiresAt: number;
}

/** A browser the user chose to trust. Only digests of its token and traits are kept. */
export interface TrustedDeviceRecord {
  id: string;
  userId: string;
  tokenDigest: string;
  fingerprintDigest: string;
  /** "Firefox on Linux". */
  label: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
  /** Who revoked it and why: 'user', 'admin:<id>', 'password-change', 'fingerprint', 'risk', 'factor-reset'. */
  revokedReason: string | null;
}

/** An admin-issued, single-use, time-limited ticket that lets a user who lost every factor enroll anew. */
export interface RecoveryTicketRecord {
  id: string;
  userId: string;
  codeDigest: string;
  issuedBy: string;
  reason: string | null;
  createdAt: number;
  expiresAt: number;
  redeemedAt: number | null;
}

/** Per-user lifecycle state: when mandatory enrollment first applied, and an admin's forced re-enrollment. */
export interface UserMfaState {
  userId: string;
  enrollmentRequiredSince: number | null;
  reenrollmentForcedAt: number | null;
}

export type ChallengeStatus = 'pending' | 'completed';

/** What a challenge asks for: the steps still missing, for which scope, by which rule and policy version. */
export interface ChallengeDemand {
  steps: RequirementStep[];
  scope: string;
  ruleId: string;
  policyVersion: number;
}

export interface ChallengeRecord {
  id: string;
  userId: string;
  sessionRef: string;
  purpose: string;
  requirement: ChallengeDemand;
  status: ChallengeStatus;
  createdAt: number;
  expiresAt: number;
}

export interface SessionFactorRecord {
  sessionRef: string;
  userId: string;
  factor: FactorType;
  verifiedAt: number;
  /** Identifies the verification, so one verification never counts for two chain steps. */
  eventId: string;
  baseline?: VerificationBaseline;
}

/** A single-use authorisation (a `maxAge: 0` step) for one scope, spent by one request. */
export interface GrantRecord {
  id: string;
  userId: string;
  sessionRef: string;
  scope: string;
  factor: FactorType;
  createdAt: number;
  expiresAt: number;
  eventId: string;
}

/** The single-use thing a verification uses up. */
export type VerificationSpend =
  | { kind: 'totp_step'; enrollmentId: string; step: number }
  | { kind: 'backup_code'; codeId: string }
  | { kind: 'otp_code'; codeId: string };

/** A verification of `challengeId`: what it spends and what it earns, written together. */
export interface VerificationCommit {
  userId: string;
  spend: VerificationSpend;
  challengeId: string;
  /** The session's verification, or (for a `maxAge: 0` step) a single-use grant. */
  earned: { sessionFactor: SessionFactorRecord } | { grant: GrantRecord };
  now: number;
}

/**
 * `already_spent`: the spend changed no row (a replay, or a lost race). `challenge_closed`:
 * the spend went through but the challenge was completed meanwhile, so it was undone.
 */
export type VerificationOutcome = 'committed' | 'already_spent' | 'challenge_closed';

export interface PolicyVersionRecord {
  version: number;
  author: string;
  comment: string | null;
  createdAt: number;
  contentHash: string;
  /** The JSON document as submitted. */
  document: string;
}

export interface PolicyActivationRecord {
  version: number;
  actor: string;
  kind: 'activate' | 'rollback' | 'boot';
  activatedAt: number;
}

/**
 * Durable MFA state. Every method whose name starts with a verb of spending
 * (`accept`, `activate`, `consume`, `complete`) is ONE conditional write whose
 * affected-row count is the answer: that is how single use holds under concurrency
 * and across instances. Implementations must not read-then-write.
 */
export interface MfaStore {
  createEnrollment(record: EnrollmentRecord): Promise<void>;
  findEnrollment(userId: string, enrollmentId: string): Promise<EnrollmentRecord | null>;
  listEnrollments(userId: string): Promise<EnrollmentRecord[]>;
  /**
   * Drops those of `enrollmentIds` that belong to the user and are still pending, in one
   * conditional delete: one confirmed meanwhile is a factor now and stays.
   */
  dropPendingEnrollments(userId: string, enrollmentIds: readonly string[]): Promise<void>;
  /** Renames one of the user's active factors; false when the user has no such factor. */
  setEnrollmentLabel(userId: string, enrollmentId: string, label: string): Promise<boolean>;
  /** pending → active; for TOTP (`step` given) only if `step` is later than any step seen on it. */
  activateEnrollment(userId: string, enrollmentId: string, step: number | null, now: number): Promise<boolean>;
  /** Records `step` as used, only if it is later than the last accepted step. */
  acceptTotpStep(userId: string, enrollmentId: string, step: number, now: number): Promise<boolean>;
  /** For key rotation: enrollments whose secret is sealed under a key other than `keyId`. */
  listEnrollmentsNotSealedWith(keyId: string, limit: number): Promise<EnrollmentRecord[]>;
  /** Compare-and-swap of the sealed secret, so a concurrent rotation cannot lose a write. */
  replaceSealedSecret(enrollmentId: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean>;

  /** Voids every earlier code of the user and stores the new set, atomically. */
  replaceBackupCodes(userId: string, codeHashes: Array<{ id: string; codeHash: string }>, now: number): Promise<void>;
  listUnusedBackupCodes(userId: string): Promise<BackupCodeRecord[]>;
  consumeBackupCode(userId: string, codeId: string, now: number): Promise<boolean>;

  /** Kills every live code of the user for `purpose` (a resend replaces), then stores `record`. Returns how many died. */
  replaceOtpCode(record: OtpCodeRecord, now: number): Promise<number>;
  /** The newest live (unspent, unexpired, not replaced) code for the purpose and channel. */
  findLiveOtpCode(userId: string, purpose: string, channel: 'sms' | 'email', now: number): Promise<OtpCodeRecord | null>;
  consumeOtpCode(userId: string, codeId: string, now: number): Promise<boolean>;
  /** The provider's message id and status when it took the message. */
  recordOtpDelivery(codeId: string, provider: string, messageId: string | null, status: string | null): Promise<void>;
  /** A provider's later delivery report; returns the code's user, or null for an unknown message. */
  updateDeliveryStatus(provider: string, messageId: string, status: string, now: number): Promise<{ userId: string; channel: string } | null>;

  /** Removes one factor of the user; false when it was not there. */
  deleteEnrollment(userId: string, enrollmentId: string): Promise<boolean>;

  createTrustedDevice(record: TrustedDeviceRecord): Promise<void>;
  findTrustedDevice(deviceId: string): Promise<TrustedDeviceRecord | null>;
  listTrustedDevices(userId: string): Promise<TrustedDeviceRecord[]>;
  touchTrustedDevice(deviceId: string, now: number): Promise<void>;
  /** Revokes one live device of the user; false if it was unknown or already revoked. */
  revokeTrustedDevice(userId: string, deviceId: string, now: number, reason: string): Promise<boolean>;
  /** Revokes every live device of the user; returns how many. */
  revokeTrustedDevices(userId: string, now: number, reason: string): Promise<number>;

  createRecoveryTicket(record: RecoveryTicketRecord): Promise<void>;
  findRecoveryTicket(ticketId: string): Promise<RecoveryTicketRecord | null>;
  /** Spends the ticket if unspent and unexpired: one conditional write. */
  redeemRecoveryTicket(ticketId: string, now: number): Promise<boolean>;

  findUserState(userId: string): Promise<UserMfaState | null>;
  /** Records when mandatory enrollment first applied (kept if already set); returns the stored time. */
  markEnrollmentRequired(userId: string, now: number): Promise<number>;
  /** Sets or clears an admin's forced re-enrollment. */
  setReenrollmentForced(userId: string, at: number | null): Promise<void>;

  findPendingChallenge(userId: string, sessionRef: string, purpose: string, now: number): Promise<ChallengeRecord | null>;
  createChallenge(record: ChallengeRecord): Promise<void>;
  findChallenge(challengeId: string): Promise<ChallengeRecord | null>;
  completeChallenge(challengeId: string, now: number): Promise<boolean>;
  /**
   * Spends, completes the challenge and writes what was earned in ONE transaction: all of
   * it or none. The spend is the usual conditional write decided by affected rows; when it
   * (or the completion) changes no row, nothing is written. A process that dies between the
   * writes must never leave a code spent for a session that was not verified.
   */
  commitVerification(commit: VerificationCommit): Promise<VerificationOutcome>;

  listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]>;
  recordSessionFactor(record: SessionFactorRecord): Promise<void>;
  /** Forgets every session's verifications of the user, or only those made with `factor`. */
  deleteSessionFactors(userId: string, factor?: FactorType): Promise<void>;

  /**
   * Session renewal: re-keys one session's verifications, grants and challenges from
   * `fromRef` to `toRef` in one transaction, replacing any verification already under `toRef`.
   */
  moveSession(userId: string, fromRef: string, toRef: string): Promise<void>;
  /**
   * Voids the MFA state (verifications, unspent grants, pending challenges) of the user's
   * sessions, `only` one or all `except` one, in one transaction. Returns how many sessions had any.
   */
  voidSessions(userId: string, which: { only: string } | { except: string }): Promise<number>;
  /** How many of the user's sessions other than `exceptRef` hold MFA state: a verification, a live grant or a live pending challenge. */
  countSessions(userId: string, exceptRef: string, now: number): Promise<number>;

  createGrant(record: GrantRecord): Promise<void>;
  listUnspentGrants(userId: string, sessionRef: string, scope: string, now: number): Promise<GrantRecord[]>;
  consumeGrant(userId: string, grantId: string, now: number): Promise<boolean>;

  /** Inserts a new version; false when that version number is already taken. */
  insertPolicyVersion(record: PolicyVersionRecord): Promise<boolean>;
  listPolicyVersions(): Promise<PolicyVersionRecord[]>;
  findPolicyVersion(version: number): Promise<PolicyVersionRecord | null>;
  recordPolicyActivation(record: PolicyActivationRecord): Promise<void>;
  /** Newest first. The first one is the active version. */
  listPolicyActivations(limit: number): Promise<PolicyActivationRecord[]>;

  close?(): Promise<void>;
}
