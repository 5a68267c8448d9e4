import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { MfaConfigurationError, MfaError, MfaTarget, Requirement } from '../../core/src';
import { MfaHttpApi, MfaRequest, MfaResponse } from '../../http/src';
import {
  MFA_OPERATION_KEY,
  MFA_REQUIREMENT_KEY,
  MFA_SENSITIVITY_KEY,
  MFA_SERVICE_KEY,
} from './decorators/mfa-metadata';
import { toMfaHttpException } from './errors/mfa-http.exception';
import { MFA_HTTP_API } from './mfa.internal-tokens';

/** Set on a request once MFA has been enforced for it, so a second placement never checks twice. */
const ENFORCED = Symbol.for('nestjs-mfa:enforced');

/**
 * Enforces the MFA policy and `@RequireMfa()` / `@StepUp()` after the app's own
 * authentication. The module already enforces every decorated route after all guards;
 * place this guard yourself only to choose where it runs (`APP_GUARD`, or
 * `@UseGuards(AuthGuard('jwt'), MfaGuard)` in any module). Subclass and override the
 * protected hooks for GraphQL, other transports or custom sessions. It throws and never
 * returns false.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  private resolvedApi?: MfaHttpApi;

  // ModuleRef rather than the API token: a feature module's @UseGuards(MfaGuard) resolves
  // its guard there, where MfaModule's providers are not visible unless it is global.
  constructor(
    protected readonly reflector: Reflector,
    protected readonly moduleRef: ModuleRef,
  ) {}

  protected get api(): MfaHttpApi {
    if (this.resolvedApi) return this.resolvedApi;
    try {
      return (this.resolvedApi = this.moduleRef.get<MfaHttpApi>(MFA_HTTP_API, { strict: false }));
    } catch {
      throw new MfaConfigurationError(
        'MfaGuard needs MfaModule: add MfaModule.forRoot({ ... }) (or forRootAsync) to the imports of your root module.',
      );
    }
  }

  /**
   * Nobody signed in yet may only mean a later guard (a per-route AuthGuard) has not run:
   * the module's enforcement after every guard then decides, with the reason.
   */
  canActivate(context: ExecutionContext): Promise<boolean> {
    return this.enforce(context, true);
  }

  /** @internal The module's own enforcement calls this after every guard has run. */
  async enforce(context: ExecutionContext, deferUnauthenticated: boolean): Promise<boolean> {
    const req = this.getRequest(context) as MfaRequest & { [ENFORCED]?: true };
    // One HTTP request serves one handler; a GraphQL operation or a socket shares its request
    // object across many, so the mark would let one passing check wave the others through.
    const http = context.getType() === 'http';
    if (http && req[ENFORCED]) return true;
    try {
      await this.api.guard(req, this.getTarget(context), this.getResponse(context));
    } catch (err) {
      // Only HTTP requests are enforced again after the last guard; elsewhere this is final.
      if (
        deferUnauthenticated &&
        context.getType() === 'http' &&
        err instanceof MfaError &&
        err.code === 'UNAUTHENTICATED'
      )
        return true;
      this.throwMfaRequired(err, context);
    }
    if (http) req[ENFORCED] = true;
    return true;
  }

  /** @internal Has MFA already been enforced for this request? */
  static enforced(req: object): boolean {
    return (req as { [ENFORCED]?: true })[ENFORCED] === true;
  }

  private readonly targets = new WeakMap<object, WeakMap<object, MfaTarget>>();

  /** The route's service, operation, labels and own requirement; a handler's setting beats its class's. */
  protected getTarget(context: ExecutionContext): MfaTarget {
    // Keyed by class, then handler: an inherited handler may sit under another class's metadata.
    let byHandler = this.targets.get(context.getClass());
    if (!byHandler) this.targets.set(context.getClass(), (byHandler = new WeakMap()));
    let target = byHandler.get(context.getHandler());
    if (!target) byHandler.set(context.getHandler(), (target = this.readTarget(context)));
    return target;
  }

  /** Metadata is fixed at boot, so it is read once per handler. */
  protected readTarget(context: ExecutionContext): MfaTarget {
    const read = <T>(key: string) =>
      this.reflector.getAllAndOverride<T | undefined>(key, [context.getHandler(), context.getClass()]);
    const target: MfaTarget = {};
    const requirement = read<Requirement>(MFA_REQUIREMENT_KEY);
    const service = read<string>(MFA_SERVICE_KEY);
    const operation = read<string>(MFA_OPERATION_KEY);
    const sensitivity = read<string[]>(MFA_SENSITIVITY_KEY);
    if (requirement) target.requirement = requirement;
    if (service) target.service = service;
    if (operation) target.operation = operation;
    if (sensitivity) target.sensitivity = sensitivity;
    return target;
  }

  protected getRequest(context: ExecutionContext): MfaRequest {
    return context.switchToHttp().getRequest();
  }

  /** Where response headers go (the enrollment grace period); undefined for transports without one. */
  protected getResponse(context: ExecutionContext): MfaResponse | undefined {
    return context.getType() === 'http' ? context.switchToHttp().getResponse() : undefined;
  }

  /** Turns a refusal (or a failure, which fails closed) into the HTTP answer. */
  protected throwMfaRequired(err: unknown, context: ExecutionContext): never {
    throw toMfaHttpException(err, context.switchToHttp().getResponse());
  }
}
