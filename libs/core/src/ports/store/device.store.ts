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

export interface TrustedDeviceStore {
  createTrustedDevice(record: TrustedDeviceRecord): Promise<void>;
  findTrustedDevice(deviceId: string): Promise<TrustedDeviceRecord | null>;
  listTrustedDevices(userId: string): Promise<TrustedDeviceRecord[]>;
  touchTrustedDevice(deviceId: string, now: number): Promise<void>;
  /** Revokes one live device of the user; false if it was unknown or already revoked. */
  revokeTrustedDevice(userId: string, deviceId: string, now: number, reason: string): Promise<boolean>;
  /** Revokes every live device of the user; returns how many. */
  revokeTrustedDevices(userId: string, now: number, reason: string): Promise<number>;
}
