import type { MfaSubject, MfaTarget } from '../../core/src';
import { MfaError } from '../../core/src';
import { adminTargetUser } from './admin-target-user';
import { withEnrollmentHints } from './enrollment-hints';
import type { EndpointContext } from './endpoints/endpoint.context';
import type { MfaRequest } from './subject-resolvers';

/**
 * Admin rights come from the app's hook, but a stolen admin password must not be enough:
 * every admin route needs the admin's own MFA in this session (reads: any factor, any
 * time; changes: a fresh one). No factor is 403 MFA_ENROLLMENT_REQUIRED, never a pass.
 * `changes` is the route's `reauth: 'fresh'` in `MFA_ROUTES`; reads are `'verified'`.
 */
export class AdminAccess {
  constructor(private readonly ctx: EndpointContext) {}

  async check(req: MfaRequest, changes: boolean): Promise<MfaSubject> {
    if (changes) this.ctx.sameOrigin(req);
    const { subject, context } = await this.ctx.caller(req);
    const options = this.ctx.options;
    if (!options.authorizeAdmin || !(await options.authorizeAdmin(req, subject)))
      throw new MfaError('MFA_ADMIN_FORBIDDEN');
    const step = changes
      ? { factors: 'any' as const, maxAge: options.reauthMaxAge ?? 300 }
      : { factors: 'any' as const };
    const own: MfaTarget = { service: 'mfa', operation: 'admin', requirement: { steps: [step] } };
    await (await this.ctx.engine()).enforce(subject, own, context).catch((err) => {
      throw withEnrollmentHints(err, this.ctx.routePrefix);
    });
    return subject;
  }

  /** The admin first, so only a verified admin ever learns whether an id exists. */
  async overUser(req: MfaRequest, changes: boolean): Promise<{ admin: MfaSubject; userId: string }> {
    const admin = await this.check(req, changes);
    return { admin, userId: await adminTargetUser(req, this.ctx.options.userExists) };
  }
}
