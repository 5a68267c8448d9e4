import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { DemoUser, isAdmin } from '../shared/demo-users';

/** Checks the password and starts a session (passport regenerates the session id on login). */
@Injectable()
export class LocalLoginGuard extends AuthGuard('local') {
  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const ok = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return ok;
  }
}

@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest().isAuthenticated?.()) return true;
    throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Sign in first.' });
  }
}

/** The app's own authorization; MFA proves who is there, not what they may open. */
@Injectable()
export class AdminOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest();
    if (!req.isAuthenticated?.())
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: 'Sign in first.' });
    if (isAdmin((req.user as DemoUser).groups)) return true;
    throw new ForbiddenException({ code: 'ADMIN_ONLY', message: 'Only admins may open this page.' });
  }
}
