import type { FactorType } from '../factors/factor-type';
import type { ResolvedMfaContext } from '../options/mfa-context';
import { acceptedFactors } from '../policy/requirement';
import type { PolicyService } from '../policy/policy.service';
import type { ChallengeRecord } from '../ports/mfa-store.port';

type Deps = Pick<ResolvedMfaContext, 'store' | 'counters'>;

const primaryFailuresKey = (challengeId: string) => `mfa:challenge:${challengeId}:primary-failures`;

/**
 * The fallback rule (off by default): where a step also accepts another factor, email
 * codes open only after `emailFallbackAfter` failed attempts with the others on this
 * challenge, so the weaker channel is not the first door an attacker tries.
 */
export class EmailFallback {
  constructor(
    private readonly deps: Deps,
    private readonly policy: PolicyService,
  ) {}

  async offered(
    challenge: Pick<ChallengeRecord, 'id' | 'userId' | 'requirement'>,
    enabled: readonly FactorType[],
    now: number,
  ): Promise<boolean> {
    const after = this.policy.current().emailFallbackAfter;
    if (after === null) return true;
    const primaries: FactorType[] = acceptedFactors(challenge.requirement.steps[0], enabled).filter(
      (f) => f !== 'email' && f !== 'backup_code',
    );
    if (primaries.length === 0) return true;
    // A user with no other factor bound has nothing to fall back from.
    const bound = await this.deps.store.listEnrollments(challenge.userId);
    if (!bound.some((e) => e.status === 'active' && primaries.includes(e.type))) return true;
    return (await this.deps.counters.peek(primaryFailuresKey(challenge.id), now)).count >= after;
  }

  /** A wrong code with another factor brings the email door one failure closer to opening. */
  async primaryFailed(
    challenge: Pick<ChallengeRecord, 'id' | 'expiresAt'>,
    method: FactorType,
    now: number,
  ): Promise<void> {
    if (method === 'email' || this.policy.current().emailFallbackAfter === null) return;
    await this.deps.counters.hit(
      primaryFailuresKey(challenge.id),
      Number.MAX_SAFE_INTEGER,
      Math.max(1, challenge.expiresAt - now),
      now,
    );
  }
}
