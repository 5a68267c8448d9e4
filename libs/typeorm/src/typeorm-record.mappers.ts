import type { ChallengeRecord, EnrollmentRecord, TotpProfile } from '../../core/src';
import type { Assurance, PasskeyDetails } from '../../core/src/ports/mfa-store.port';

/** A row of `mfa_enrollments` as the driver returns it from plain SQL (BIGINTs may be strings). */
export interface EnrollmentRow {
  id: string;
  user_id: string;
  type: string;
  status: string;
  label: string | null;
  sealed_secret: string;
  key_id: string;
  algorithm: string;
  digits: number | string;
  period: number | string;
  masked_target: string | null;
  credential_key: string | null;
  details: string | null;
  last_step: number | string | null;
  created_at: number | string;
  confirmed_at: number | string | null;
  last_used_at: number | string | null;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

export function enrollmentFromRow(r: EnrollmentRow): EnrollmentRecord {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type as EnrollmentRecord['type'],
    status: r.status as EnrollmentRecord['status'],
    label: r.label,
    sealedSecret: r.sealed_secret,
    keyId: r.key_id,
    profile:
      r.type === 'totp'
        ? {
            algorithm: r.algorithm as TotpProfile['algorithm'],
            digits: Number(r.digits) as TotpProfile['digits'],
            period: Number(r.period),
          }
        : null,
    maskedTarget: r.masked_target,
    lastStep: num(r.last_step),
    passkey:
      r.type === 'webauthn' && r.credential_key
        ? { ...JSON.parse(r.details ?? '{}'), credentialKey: r.credential_key }
        : null,
    createdAt: Number(r.created_at),
    confirmedAt: num(r.confirmed_at),
    lastUsedAt: num(r.last_used_at),
  };
}

/** The `credential_key` and `details` columns of a passkey; both NULL for any other factor, or one still pending. */
export function passkeyColumns(passkey: PasskeyDetails | null | undefined): {
  credentialKey: string | null;
  details: string | null;
} {
  if (!passkey) return { credentialKey: null, details: null };
  const { credentialKey, ...details } = passkey;
  return { credentialKey, details: JSON.stringify(details) };
}

export const assuranceColumn = (a: Assurance | undefined): string | null => (a ? JSON.stringify(a) : null);

/** Absent, not undefined, when the row has none, so a record reads back as it was written. */
export const assuranceFrom = (column: string | null): { assurance?: Assurance } =>
  column ? { assurance: JSON.parse(column) } : {};

export interface ChallengeRow {
  id: string;
  user_id: string;
  session_ref: string;
  purpose: string;
  requirement: string;
  status: string;
  created_at: number | string;
  expires_at: number | string;
}

export function challengeFromRow(r: ChallengeRow): ChallengeRecord {
  return {
    id: r.id,
    userId: r.user_id,
    sessionRef: r.session_ref,
    purpose: r.purpose,
    requirement: JSON.parse(r.requirement),
    status: r.status as ChallengeRecord['status'],
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
  };
}
