import type { TotpProfile } from '../../factors/totp-profile';

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

export interface EnrollmentStore {
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
  /** Removes one factor of the user; false when it was not there. */
  deleteEnrollment(userId: string, enrollmentId: string): Promise<boolean>;
}
