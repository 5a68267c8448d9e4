import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard, PassportSerializer, PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';

interface User {
  id: string;
  username: string;
}
const users = [{ id: 'u1', username: 'alice', password: 'alice-password' }];
const findUser = (id: string): User | undefined => users.find((u) => u.id === id);

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  validate(username: string, password: string): User {
    const user = users.find((u) => u.username === username && u.password === password);
    if (!user) throw new UnauthorizedException();
    return { id: user.id, username: user.username };
  }
}

@Injectable()
export class SessionSerializer extends PassportSerializer {
  serializeUser(user: User, done: (err: Error | null, id?: string) => void): void {
    done(null, user.id);
  }
  deserializeUser(id: string, done: (err: Error | null, user?: User | false) => void): void {
    const user = findUser(id);
    done(null, user ? { id: user.id, username: user.username } : false);
  }
}

/** AuthGuard('local') checks the password only; the session starts with logIn. */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const ok = (await super.canActivate(context)) as boolean;
    await super.logIn(context.switchToHttp().getRequest());
    return ok;
  }
}

@Injectable()
export class SignedInGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.switchToHttp().getRequest().isAuthenticated()) return true;
    throw new UnauthorizedException();
  }
}
