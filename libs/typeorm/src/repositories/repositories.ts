import type { SqlRunner } from '../sql-runner';
import { BackupCodeRepository } from './backup-code.repository';
import { ChallengeRepository } from './challenge.repository';
import { TrustedDeviceRepository } from './device.repository';
import { EnrollmentRepository } from './enrollment.repository';
import { GrantRepository } from './grant.repository';
import { OtpCodeRepository } from './otp-code.repository';
import { PolicyRepository } from './policy.repository';
import { RecoveryTicketRepository } from './recovery.repository';
import { RiskProfileRepository } from './risk-profile.repository';
import { SessionRepository } from './session.repository';
import { UserStateRepository } from './user-state.repository';
import { VerificationRepository } from './verification.repository';

/** One repository per aggregate, all on the same SqlRunner so they share its numbered-text cache. */
export function createRepositories(sql: SqlRunner) {
  return {
    enrollments: new EnrollmentRepository(sql),
    backupCodes: new BackupCodeRepository(sql),
    otpCodes: new OtpCodeRepository(sql),
    challenges: new ChallengeRepository(sql),
    verifications: new VerificationRepository(sql),
    sessions: new SessionRepository(sql),
    grants: new GrantRepository(sql),
    devices: new TrustedDeviceRepository(sql),
    recovery: new RecoveryTicketRepository(sql),
    userStates: new UserStateRepository(sql),
    policies: new PolicyRepository(sql),
    riskProfiles: new RiskProfileRepository(sql),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
