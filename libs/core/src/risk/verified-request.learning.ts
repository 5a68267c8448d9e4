import type { AuditTrail } from '../audit/audit-trail';
import type { CompiledPolicy } from '../policy/compile-policy';
import type { RequestContext } from '../policy/request-context';
import type { MfaSubject } from '../subject';
import type { RiskEngine, RiskLesson } from './risk-engine';

/**
 * What a challenge verification does with risk, around its commit. Before the code is
 * checked: the lesson, whose context becomes the verification's baseline, scored after
 * learning so what the verification answered for (a new country, the trip there) no longer
 * counts in it. After the commit: the lesson stored, best effort. Only a verified request
 * ever teaches a profile.
 */
export class VerifiedRequestLearning {
  constructor(
    private readonly risk: RiskEngine,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The lesson, or undefined when nothing learns. A read that fails throws (503, the code
   * unspent, the attempt uncounted) when the enforced policy reads risk, since its baseline
   * needs the score. Otherwise nothing the verification decides depends on it: audited, and
   * the verification goes on without learning.
   */
  async prepare(
    subject: MfaSubject,
    context: RequestContext,
    policy: CompiledPolicy,
    reportOnly: CompiledPolicy | null,
  ): Promise<RiskLesson | undefined> {
    if (!this.risk.learns(policy, reportOnly)) return undefined;
    try {
      return await this.risk.lesson(subject, context, this.risk.assesses(policy, reportOnly));
    } catch (err) {
      if (this.risk.assesses(policy)) throw err;
      this.failed(subject, 'warning', `profile not read: ${errorName(err)}`);
      return undefined;
    }
  }

  /**
   * Stores the lesson once the verification is committed. The session is verified whatever
   * happens here, so nothing here may fail it: a profile that did not learn only means the
   * user may be asked again later, the safe direction.
   */
  async teach(subject: MfaSubject, lesson: RiskLesson | undefined): Promise<void> {
    if (!lesson) return;
    try {
      if (!(await this.risk.remember(lesson)))
        this.failed(subject, 'info', 'profile changed since it was read (a reset or another verification)');
    } catch (err) {
      this.failed(subject, 'warning', `profile not saved: ${errorName(err)}`);
    }
  }

  private failed(subject: MfaSubject, severity: 'info' | 'warning', reason: string): void {
    this.audit.record(subject, { type: 'risk.learning_failed', severity, reason });
  }
}

/** The error's code or class, never its message: a driver's message may quote what it was sent. */
function errorName(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown } | null;
  const name = typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error';
  return name.slice(0, 64);
}
