import type { MfaEngine, MfaTarget } from '../../core/src';
import { AdminAccess } from './admin-access';
import type { MfaResponse } from './cookies';
import { AdminEndpoints } from './endpoints/admin.endpoints';
import { ChallengeEndpoints } from './endpoints/challenge.endpoints';
import { EndpointContext } from './endpoints/endpoint.context';
import { EnrollmentEndpoints } from './endpoints/enrollment.endpoints';
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
    this.challenges = new ChallengeEndpoints(ctx, this.deviceRoutes);
    this.enrollment = new EnrollmentEndpoints(ctx);
    this.selfService = new SelfServiceEndpoints(ctx);
    this.admin = new AdminEndpoints(ctx, access);
    this.policy = new PolicyAdminEndpoints(ctx, access);
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
