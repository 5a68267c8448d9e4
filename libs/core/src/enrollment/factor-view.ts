import { authenticatorName } from '../factors/passkey/authenticator-names';
import type { EnrollmentRecord, EnrollmentType, MfaStore } from '../ports/mfa-store.port';

export interface FactorView {
  id: string;
  type: EnrollmentType;
  label: string | null;
  /** SMS and email: `+90 *** *** **12`, `y***@example.com`. */
  maskedTarget?: string;
  /** Passkeys: metadata only, never the credential or its public key. */
  passkey?: PasskeyView;
  status: 'pending' | 'active';
  createdAt: string;
  confirmedAt: string | null;
  lastUsedAt: string | null;
}

export interface PasskeyView {
  /** The provider's name where its AAGUID is known (a claim unless attestation is required). */
  authenticator: string | null;
  aaguid: string;
  /** May be synced to other devices; a synced passkey reaches AAL2, a device-bound one AAL3. */
  backupEligible: boolean;
  backedUp: boolean;
  transports: string[];
}

export interface EnrollmentSummary {
  factors: FactorView[];
  backupCodes: { remaining: number };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * What a user or admin sees of a factor: never its secret, and a phone or address only masked.
 * `names`: the configured `webauthn.authenticatorNames`, over the built-in list.
 */
export function toView(e: EnrollmentRecord, names: Record<string, string> = {}): FactorView {
  const view: FactorView = {
    id: e.id,
    type: e.type,
    label: e.label,
    status: e.status,
    createdAt: iso(e.createdAt)!,
    confirmedAt: iso(e.confirmedAt),
    lastUsedAt: iso(e.lastUsedAt),
  };
  if (e.maskedTarget) view.maskedTarget = e.maskedTarget;
  if (e.passkey) {
    const { aaguid, backupEligible, backedUp, transports } = e.passkey;
    view.passkey = { authenticator: authenticatorName(aaguid, names), aaguid, backupEligible, backedUp, transports };
  }
  return view;
}

/** The user's active factors and how many backup codes are left. */
export async function enrollmentSummary(
  store: Pick<MfaStore, 'listEnrollments' | 'listUnusedBackupCodes'>,
  userId: string,
  names: Record<string, string> = {},
): Promise<EnrollmentSummary> {
  const [enrollments, codes] = await Promise.all([store.listEnrollments(userId), store.listUnusedBackupCodes(userId)]);
  return {
    factors: enrollments.filter((e) => e.status === 'active').map((e) => toView(e, names)),
    backupCodes: { remaining: codes.length },
  };
}
