import type { TotpProfile } from '../../factors/totp-profile';

/** Factors bound by enrollment; backup codes are issued, not enrolled. */
export type EnrollmentType = 'totp' | 'sms' | 'email' | 'webauthn';
export type EnrollmentStatus = 'pending' | 'active';

/** A passkey's public metadata; the credential itself (ID and public key) is sealed like any factor's secret. */
export interface PasskeyDetails {
  /** SHA-256 (hex) of the credential ID, unique across all users: a credential belongs to one user. */
  credentialKey: string;
  /** The authenticator model's AAGUID; all zeros when the authenticator does not say. */
  aaguid: string;
  /** May leave the device (a synced passkey). */
  backupEligible: boolean;
  backedUp: boolean;
  transports: string[];
  /** The attestation format at registration: 'none', 'packed', … */
  attestation: string;
}

/** What confirming a passkey writes onto its pending enrollment. */
export interface PasskeyActivation {
  sealedSecret: string;
  keyId: string;
  details: PasskeyDetails;
  /** The authenticator's signature counter at registration (0 when it keeps none). */
  signCount: number;
}

export interface EnrollmentRecord {
  id: string;
  userId: string;
  type: EnrollmentType;
  status: EnrollmentStatus;
  label: string | null;
  /**
   * AES-GCM envelope from the key ring: the TOTP seed, the phone number / address, or the
   * passkey's credential (empty while a passkey enrollment is pending).
   */
  sealedSecret: string;
  keyId: string;
  /** TOTP only. */
  profile: TotpProfile | null;
  /** SMS and email only: what a client may see of the target (`y***@example.com`). */
  maskedTarget: string | null;
  /** TOTP: the last accepted time step. WebAuthn: the authenticator's last signature counter. Null until first use. */
  lastStep: number | null;
  /** WebAuthn only, once confirmed. */
  passkey?: PasskeyDetails | null;
  createdAt: number;
  confirmedAt: number | null;
  /**
   * Set to `now` by every write that accepts a step (activation, `acceptTotpStep`, a
   * verification's `totp_step` spend). Null with a `lastStep` means an imported app never
   * used here: refusing its import step is then no replay alarm.
   */
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
  /**
   * pending → active for a passkey, with its sealed credential, in one conditional write.
   * `credential_taken` when the credential ID is registered already, to this user or another.
   */
  activatePasskey(
    userId: string,
    enrollmentId: string,
    activation: PasskeyActivation,
    now: number,
  ): Promise<'activated' | 'credential_taken' | 'not_pending'>;
  /** Records `step` as used, only if it is later than the last accepted step. */
  acceptTotpStep(userId: string, enrollmentId: string, step: number, now: number): Promise<boolean>;
  /** For key rotation: enrollments whose secret is sealed under a key other than `keyId`. */
  listEnrollmentsNotSealedWith(keyId: string, limit: number): Promise<EnrollmentRecord[]>;
  /** Compare-and-swap of the sealed secret, so a concurrent rotation cannot lose a write. */
  replaceSealedSecret(enrollmentId: string, expectedSealed: string, sealed: string, keyId: string): Promise<boolean>;
  /** Removes one factor of the user; false when it was not there. */
  deleteEnrollment(userId: string, enrollmentId: string): Promise<boolean>;
}
