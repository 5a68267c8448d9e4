import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MfaEngine, MfaError, MfaSubject, Requirement } from '../../core/src';
import { MFA_REQUIREMENT_KEY } from './decorators/mfa-metadata';
import { toMfaHttpException } from './errors/mfa-http.exception';
import { MFA_SUBJECT_RESOLVER } from './mfa.internal-tokens';
import { MfaRequest, ResolveSubject } from '../../http/src';

/**
 * Enforces `@RequireMfa()` / `@StepUp()` after the app's own authentication. Register
 * it as an APP_GUARD. Subclass and override the protected hooks for GraphQL, other
 * transports or custom sessions. It throws and never returns false.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    @Inject(MfaEngine) protected readonly engine: MfaEngine,
    @Inject(MFA_SUBJECT_RESOLVER) protected readonly subjectResolver: ResolveSubject,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.getRequirement(context);
    if (!requirement || requirement.kind === 'none') return true;
    try {
      const subject = await this.resolveSubject(this.getRequest(context), context);
      if (!subject) throw new MfaError('UNAUTHENTICATED');
      await this.engine.enforce(subject, requirement);
      return true;
    } catch (err) {
      this.throwMfaRequired(err, context);
    }
  }

  /** A handler's requirement beats its class's. */
  protected getRequirement(context: ExecutionContext): Requirement | undefined {
    return this.reflector.getAllAndOverride<Requirement>(MFA_REQUIREMENT_KEY, [context.getHandler(), context.getClass()]);
  }

  protected getRequest(context: ExecutionContext): MfaRequest {
    return context.switchToHttp().getRequest();
  }

  protected resolveSubject(req: MfaRequest, _context: ExecutionContext): Promise<MfaSubject | null> | MfaSubject | null {
    return this.subjectResolver(req);
  }

  /** Turns a refusal (or a failure, which fails closed) into the HTTP answer. */
  protected throwMfaRequired(err: unknown, context: ExecutionContext): never {
    throw toMfaHttpException(err, context.switchToHttp().getResponse());
  }
}
