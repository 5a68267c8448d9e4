import type { MfaEngine, MfaTarget } from '../../core/src';
import { AdminAccess } from './admin-access';
import { withEnrollmentHints } from './enrollment-hints';
import type { MfaResponse } from './cookies';
import { AdminEndpoints } from './endpoints/admin.endpoints';
import { ChallengeEndpoints } from './endpoints/challenge.endpoints';
import { EndpointContext } from './endpoints/endpoint.context';
import { EnrollmentEndpoints } from './endpoints/enrollment.endpoints';
import { ExemptionEndpoints } from './endpoints/exemption.endpoints';
import { PolicyAdminEndpoints } from './endpoints/policy-admin.endpoints';
import { SelfServiceEndpoints } from './endpoints/self-service.endpoints';
import type { MfaHttpOptions } from './mfa-options';
import { RequestGuard } from './request-guard';
import type { MfaRequest } from './subject-resolvers';

/**
 * The one object an adapter holds: the guard, and every endpoint grouped by audience. The
 * Nest controllers and the Express router (through `MFA_ROUTES`) only map routes to these
 * methods and write the result.
 *
 * The endpoints take `() => Promise<MfaEngine>` rather than an engine: Express mounts its
 * router before the store is open, and its requests answer 503 until then.
 */
export class MfaHttpApi {
  readonly challenges: ChallengeEndpoints;
  readonly enrollment: EnrollmentEndpoints;
  readonly selfService: SelfServiceEndpoints;
  readonly admin: AdminEndpoints;
  readonly policy: PolicyAdminEndpoints;
  readonly exemptions: ExemptionEndpoints;
  private readonly requestGuard: RequestGuard;
  private readonly deviceRoutes = new Set<string>();

  constructor(
    engine: () => Promise<MfaEngine>,
    options: MfaHttpOptions,
    /** Where the adapter mounts MFA's endpoints, for the links in refusals. */
    routePrefix = 'mfa',
  ) {
    const ctx = new EndpointContext(engine, options, routePrefix);
    const access = new AdminAccess(ctx);
    this.requestGuard = new RequestGuard(ctx);
    this.challenges = hinted(new ChallengeEndpoints(ctx, this.deviceRoutes), routePrefix);
    this.enrollment = hinted(new EnrollmentEndpoints(ctx), routePrefix);
    this.selfService = hinted(new SelfServiceEndpoints(ctx), routePrefix);
    this.admin = hinted(new AdminEndpoints(ctx, access), routePrefix);
    this.policy = hinted(new PolicyAdminEndpoints(ctx, access), routePrefix);
    this.exemptions = hinted(new ExemptionEndpoints(ctx, access), routePrefix);
  }

  /** The guard / middleware: passes, or throws MFA_REQUIRED, MFA_DENIED, MFA_ENROLLMENT_REQUIRED, UNAUTHENTICATED. */
  guard(req: MfaRequest, target: MfaTarget, res?: MfaResponse): Promise<void> {
    return this.requestGuard.check(req, target, res);
  }

  /**
   * Adapters name the routes whose own requirement lets a trusted device stand in, so the
   * verify answer can list them (`allowTrustedDevice: true` on the decorator or middleware).
   */
  registerDeviceRoute(label: string): void {
    this.deviceRoutes.add(label);
  }
}

/**
 * Every endpoint's 403 MFA_ENROLLMENT_REQUIRED carries `enroll: [{ method, verb, href }]`, as
 * the guard's does: a user with no factor who asks to change one learns where to enroll.
 */
function hinted<T extends object>(endpoints: T, routePrefix: string): T {
  return new Proxy(endpoints, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      // Every endpoint method is async; a synchronous throw is caught here all the same.
      return async (...args: unknown[]) => {
        try {
          return await value.apply(target, args);
        } catch (err) {
          throw withEnrollmentHints(err, routePrefix);
        }
      };
    },
  });
}
