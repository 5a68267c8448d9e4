import type { ResolvedMfaContext } from '../options/mfa-context';
import type { MfaTarget, RequestContext } from '../policy/request-context';
import type { EnrollmentRecord } from '../ports/mfa-store.port';
import type { MfaSubject } from '../subject';
import type { Enforcer } from './enforcer';

type Deps = Pick<ResolvedMfaContext, 'store' | 'reauthMaxAge'>;

/** Changes to factors, devices and sessions need a verification within `reauthMaxAge`. */
export class Reauthentication {
  constructor(
    private readonly deps: Deps,
    private readonly enforcer: Enforcer,
  ) {}

  async requireFresh(subject: MfaSubject, context: RequestContext): Promise<void> {
    await this.enforcer.enforce(subject, this.target(), context);
  }

  /** Only a user with no factor may change them on the password alone; returns the enrollments, read for the check anyway. */
  async requireIfEnrolled(subject: MfaSubject, context: RequestContext): Promise<EnrollmentRecord[]> {
    const enrollments = await this.deps.store.listEnrollments(subject.userId);
    if (enrollments.some((e) => e.status === 'active')) await this.enforcer.enforce(subject, this.target(), context);
    return enrollments;
  }

  /** Changing factors needs a recent verification (OWASP: reauthenticate with an existing factor). */
  private target(): MfaTarget {
    return {
      service: 'mfa',
      operation: 'manage-factors',
      requirement: { steps: [{ factors: 'any', maxAge: this.deps.reauthMaxAge }] },
    };
  }
}
