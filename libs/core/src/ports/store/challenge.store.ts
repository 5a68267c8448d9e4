import type { RequirementStep } from '../../policy/requirement';
import type { EnrollmentRecord } from './enrollment.store';

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

export interface ChallengeStore {
  findPendingChallenge(
    userId: string,
    sessionRef: string,
    purpose: string,
    now: number,
  ): Promise<ChallengeRecord | null>;
  createChallenge(record: ChallengeRecord): Promise<void>;
  findChallenge(challengeId: string): Promise<ChallengeRecord | null>;
  /**
   * The challenge and every enrollment of its user, read together (one statement on the
   * TypeORM store): a verification needs both, and it is the hottest read there is.
   */
  findChallengeWithEnrollments(
    challengeId: string,
  ): Promise<{ challenge: ChallengeRecord; enrollments: EnrollmentRecord[] } | null>;
  completeChallenge(challengeId: string, now: number): Promise<boolean>;
}
