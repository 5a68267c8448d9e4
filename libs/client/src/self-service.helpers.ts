import type { MfaTransport } from './client.transport.js';
import type {
  BackupCodesResult,
  DeviceListResult,
  DevicesRevokedResult,
  OtherSessionsEndedResult,
  RecoveryRedeemedResult,
} from './client.types.js';

/** A new set of ten backup codes, shown once; the previous set stops working. Needs a recent verification. */
export interface MfaBackupCodes {
  regenerate(): Promise<BackupCodesResult>;
}

/** Browsers the user trusted with "remember this device" (the one asking is marked `current`). */
export interface MfaDevices {
  list(): Promise<DeviceListResult>;
  revoke(deviceId: string): Promise<DevicesRevokedResult>;
  revokeAll(): Promise<DevicesRevokedResult>;
}

/** Voids MFA in the user's other sessions and, with the server's `endOtherSessions` hook, signs them out. */
export interface MfaSessions {
  revokeOthers(): Promise<OtherSessionsEndedResult>;
}

/** A help-desk recovery ticket, redeemed by the signed-in user it was issued for; they then enroll anew. */
export interface MfaRecovery {
  redeem(ticket: string): Promise<RecoveryRedeemedResult>;
}

export function selfServiceHelpers(t: MfaTransport) {
  const backupCodes: MfaBackupCodes = { regenerate: () => t.call('POST /backup-codes/regenerate', {}) };
  const devices: MfaDevices = {
    list: () => t.call('GET /devices', {}),
    revoke: (deviceId) => t.call('DELETE /devices/:deviceId', { deviceId }),
    revokeAll: () => t.call('DELETE /devices', {}),
  };
  const sessions: MfaSessions = { revokeOthers: () => t.call('POST /sessions/revoke-others', {}) };
  const recovery: MfaRecovery = { redeem: (ticket) => t.call('POST /recovery/redeem', {}, { ticket }) };
  return { backupCodes, devices, sessions, recovery };
}
