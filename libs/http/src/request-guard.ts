import type { MfaEngine, MfaTarget } from '../../core/src';
import type { MfaResponse } from './cookies';
import { withEnrollmentHints } from './enrollment-hints';
import type { EndpointContext } from './endpoints/endpoint.context';
import { withSessionsOffer } from './other-sessions.offer';
import { contextIsSynchronous, hooklessContext } from './request-context.resolver';
import { withRouteLabel } from './route-label';
import type { MfaRequest } from './subject-resolvers';
import { unauthenticated } from './unauthenticated-reason';

/**
 * The one decision both adapters make before a host's route runs (Nest's `MfaGuard`, the
 * Express `requireMfa()`/`stepUp()`/`protect()` middleware): it passes, or throws
 * MFA_REQUIRED, MFA_DENIED, MFA_ENROLLMENT_REQUIRED or UNAUTHENTICATED.
 */
export class RequestGuard {
  private readyEngine?: MfaEngine;
  private readonly syncContext: boolean;

  constructor(private readonly ctx: EndpointContext) {
    this.syncContext = contextIsSynchronous(ctx.options);
  }

  async check(req: MfaRequest, target: MfaTarget, res?: MfaResponse): Promise<void> {
    // The hot path (a satisfied session, cached state, no hooks) awaits nothing.
    const engine = this.readyEngine ?? (this.readyEngine = await this.ctx.engine());
    const unmapped = target.service === undefined && target.operation === undefined && target.requirement === undefined;
    if (unmapped && engine.unmappedRoutesOpen) return;
    if (target.requirement && target.requirement.steps.length === 0) return; // @SkipMfa: the route opts out entirely
    const resolved = this.ctx.resolveSubject(req);
    const subject = resolved instanceof Promise ? await resolved : resolved;
    if (!subject) {
      if (unmapped) return; // anonymous requests on unmapped routes are the app's own business
      throw unauthenticated(req, this.ctx.options.resolveSubject !== undefined);
    }
    const labelled = withRouteLabel(req, target);
    const pending = this.syncContext ? hooklessContext(req, this.ctx.options) : this.ctx.context(req, subject);
    const context = pending instanceof Promise ? await pending : pending;
    if (engine.satisfiedFromCache(subject, labelled, context)) return;
    const outcome = await engine.enforce(subject, labelled, context).catch(async (err) => {
      throw await withSessionsOffer(withEnrollmentHints(err, this.ctx.routePrefix), () =>
        this.ctx.sessionsOffer(subject.userId, subject.sessionId),
      );
    });
    // Mandatory enrollment: the client learns how long it may still defer.
    if (outcome.enrollmentGraceSeconds !== undefined)
      res?.setHeader?.('MFA-Enrollment-Grace', String(outcome.enrollmentGraceSeconds));
    // An admin's time-boxed exemption: the client learns until when, and that enrolling is due then.
    if (outcome.enrollmentExemptUntil !== undefined)
      res?.setHeader?.('MFA-Enrollment-Exempt-Until', new Date(outcome.enrollmentExemptUntil).toISOString());
  }
}
