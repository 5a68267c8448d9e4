import { TotpProfile } from '../factors/totp-profile';
import { Requirement } from '../policy/requirement';

export type FactorType = 'totp' | 'backup_code';
export type EnrollmentStatus = 'pending' | 'active';

export interface EnrollmentRecord {
  id: string;
  userId: string;
  type: 'totp';
  status: EnrollmentStatus;
  label: string | null;
  /** AES-GCM envelope from the key ring; never the plain secret. */
  sealedSecret: string;
  keyId: string;
  profile: TotpProfile;
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

export type ChallengeStatus = 'pending' | 'completed';

export interface ChallengeRecord {
  id: string;
  userId: string;
  sessionRef: string;
  purpose: string;
  requirement: Requirement;
  status: ChallengeStatus;
  createdAt: number;
  expiresAt: number;
}

export interface SessionFactorRecord {
  sessionRef: string;
  userId: string;
  factor: FactorType;
  verifiedAt: number;
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
  deletePendingEnrollments(userId: string): Promise<void>;
  /** pending → active, only if `step` is later than any step seen on it. */
  activateEnrollment(userId: string, enrollmentId: string, step: number, now: number): Promise<boolean>;
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

  findPendingChallenge(userId: string, sessionRef: string, purpose: string, now: number): Promise<ChallengeRecord | null>;
  createChallenge(record: ChallengeRecord): Promise<void>;
  findChallenge(challengeId: string): Promise<ChallengeRecord | null>;
  completeChallenge(challengeId: string, now: number): Promise<boolean>;

  listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]>;
  recordSessionFactor(record: SessionFactorRecord): Promise<void>;

  close?(): Promise<void>;
}
