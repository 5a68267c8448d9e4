import type { ResolvedMfaContext } from '../options/mfa-context';
import type { RequirementStep } from '../policy/requirement';
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

  /**
   * Only a user with no factor may change them on the password alone; returns the enrollments,
   * read for the check anyway. `phishingResistantIfHeld`: a user who holds a passkey must use
   * one, so a relayed TOTP or SMS code cannot add an attacker's passkey beside it.
   */
  async requireIfEnrolled(
    subject: MfaSubject,
    context: RequestContext,
    phishingResistantIfHeld = false,
  ): Promise<EnrollmentRecord[]> {
    const enrollments = await this.deps.store.listEnrollments(subject.userId);
    const active = enrollments.filter((e) => e.status === 'active');
    const passkeyHeld = phishingResistantIfHeld && active.some((e) => e.type === 'webauthn');
    if (active.length) await this.enforcer.enforce(subject, this.target(passkeyHeld), context);
    return enrollments;
  }

  /** Changing factors needs a recent verification (OWASP: reauthenticate with an existing factor). */
  private target(phishingResistant = false): MfaTarget {
    const step: RequirementStep = phishingResistant
      ? { factors: ['webauthn'], maxAge: this.deps.reauthMaxAge, phishingResistant: true }
      : { factors: 'any', maxAge: this.deps.reauthMaxAge };
    return { service: 'mfa', operation: 'manage-factors', requirement: { steps: [step] } };
  }
}
