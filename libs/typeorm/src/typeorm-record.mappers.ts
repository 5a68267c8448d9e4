import type { ChallengeRecord, EnrollmentRecord, TotpProfile } from '../../core/src';
import { MfaChallengeEntity } from './entities/mfa-challenge.entity';
import { MfaEnrollmentEntity } from './entities/mfa-enrollment.entity';

export function toEnrollmentRecord(row: MfaEnrollmentEntity): EnrollmentRecord {
  return {
    id: row.id,
    userId: row.userId,
    type: row.type as EnrollmentRecord['type'],
    status: row.status as EnrollmentRecord['status'],
    label: row.label,
    sealedSecret: row.sealedSecret,
    keyId: row.keyId,
    profile: row.type === 'totp' ? { algorithm: row.algorithm as TotpProfile['algorithm'], digits: row.digits as TotpProfile['digits'], period: row.period } : null,
    maskedTarget: row.maskedTarget,
    lastStep: row.lastStep,
    createdAt: row.createdAt,
    confirmedAt: row.confirmedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export function toChallengeRecord(row: MfaChallengeEntity): ChallengeRecord {
  return {
    id: row.id,
    userId: row.userId,
    sessionRef: row.sessionRef,
    purpose: row.purpose,
    requirement: JSON.parse(row.requirement),
    status: row.status as ChallengeRecord['status'],
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
