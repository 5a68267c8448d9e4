import { MfaError } from '../errors/mfa.error';
import { ResolvedMfaContext } from './mfa-options';
import { AuditTrail } from '../audit/audit-trail';
import { MfaSubject } from '../subject';

/**
 * The one place lockout is enforced. Every code check runs inside `attempt`, which
 * counts the attempt before evaluating it; once the limit is passed a right code and
 * a wrong code get the same MFA_LOCKED answer.
 */
export class AttemptLimiter {
  constructor(
    private readonly ctx: ResolvedMfaContext,
    private readonly audit: AuditTrail,
  ) {}

  async attempt<T>(subject: MfaSubject, channel: string, check: () => Promise<T | null>): Promise<T> {
    const key = `mfa:${subject.userId}:${channel}`;
    const { maxAttempts, windowSeconds } = this.ctx.lockout;
    const hit = await this.ctx.counters.hit(key, maxAttempts, windowSeconds * 1000, this.ctx.clock.now());
    if (!hit.allowed) {
      this.audit.record(subject, { type: 'attempt.locked', severity: 'warning', channel, outcome: 'refused', reason: 'locked' });
      throw new MfaError('MFA_LOCKED', {}, Math.max(1, Math.ceil(hit.retryAfterMs / 1000)));
    }
    const result = await check();
    if (result === null) {
      const severity = hit.count === maxAttempts ? 'high' : 'info';
      this.audit.record(subject, { type: 'attempt.failed', severity, channel, outcome: 'failure' });
      throw new MfaError('INVALID_CODE');
    }
    await this.ctx.counters.reset(key);
    return result;
  }
}
