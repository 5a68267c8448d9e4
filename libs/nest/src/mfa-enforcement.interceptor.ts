import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, Observable, switchMap } from 'rxjs';
import { MfaGuard } from './mfa.guard';

/**
 * Bound by MfaModule as a global interceptor, so no decorated route is ever served
 * unchecked because a guard line was forgotten. Interceptors run after every guard,
 * so per-route auth guards (JWT) have set `req.user` by then. A request an `MfaGuard`
 * already passed goes straight through.
 */
@Injectable()
export class MfaEnforcementInterceptor implements NestInterceptor {
  constructor(private readonly guard: MfaGuard) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle(); // other transports place a subclassed MfaGuard themselves
    if (MfaGuard.enforced(context.switchToHttp().getRequest())) return next.handle();
    return from(this.guard.enforce(context, false)).pipe(switchMap(() => next.handle()));
  }
}
