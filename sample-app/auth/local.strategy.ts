import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { DemoUser, UsersService } from '../shared/demo-users';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly users: UsersService) {
    super();
  }

  validate(username: string, password: string): DemoUser {
    const user = this.users.checkPassword(username, password);
    if (!user) throw new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: 'Wrong username or password.' });
    return user;
  }
}
