import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MfaTarget, Requirement } from '../../core/src';
import { MfaHttpApi, MfaRequest, MfaResponse } from '../../http/src';
import { MFA_OPERATION_KEY, MFA_REQUIREMENT_KEY, MFA_SENSITIVITY_KEY, MFA_SERVICE_KEY } from './decorators/mfa-metadata';
import { toMfaHttpException } from './errors/mfa-http.exception';
import { MFA_HTTP_API } from './mfa.internal-tokens';

/**
 * Enforces the MFA policy and `@RequireMfa()` / `@StepUp()` after the app's own
 * authentication. Register it as an APP_GUARD. Subclass and override the protected hooks
 * for GraphQL, other transports or custom sessions. It throws and never returns false.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    @Inject(MFA_HTTP_API) protected readonly api: MfaHttpApi,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      await this.api.guard(this.getRequest(context), this.getTarget(context), this.getResponse(context));
      return true;
    } catch (err) {
      this.throwMfaRequired(err, context);
    }
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
    const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, [context.getHandler(), context.getClass()]);
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
