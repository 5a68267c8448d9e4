import { Injectable } from '@nestjs/common';
import { PassportSerializer } from '@nestjs/passport';
import { DemoUser, UsersService } from '../shared/demo-users';

@Injectable()
export class SessionSerializer extends PassportSerializer {
  constructor(private readonly users: UsersService) {
    super();
  }

  serializeUser(user: DemoUser, done: (err: Error | null, id?: string) => void): void {
    done(null, user.id);
  }

  deserializeUser(id: string, done: (err: Error | null, user?: DemoUser | false) => void): void {
    done(null, this.users.findById(id) ?? false);
  }
}
