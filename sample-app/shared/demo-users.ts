import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  id: string;
  username: string;
  email: string;
  groups: string[];
}

interface StoredUser extends DemoUser {
  passwordHash: Buffer;
  salt: Buffer;
}

/** The one group that opens /admin and /mfa/admin/*: both checks read it through `isAdmin`, so they cannot disagree. */
export const ADMIN_GROUP = 'admins';

/** Seeded demo users. A real app has its own user store; MFA only needs `req.user.id`. */
export const DEMO_USERS = [
  { id: 'u-alice', username: 'alice', email: 'alice@example.com', groups: [ADMIN_GROUP], password: 'alice-password' },
  { id: 'u-bob', username: 'bob', email: 'bob@example.com', groups: ['staff'], password: 'bob-password' },
];

export function isAdmin(groups: readonly string[] | undefined): boolean {
  return groups?.includes(ADMIN_GROUP) ?? false;
}

/** The account's own address, so factor changes are also mailed to a user who bound no email factor. */
export function contactEmailOf(userId: string): string | null {
  return DEMO_USERS.find((u) => u.id === userId)?.email ?? null;
}

/** Plain class: the Nest sample provides it, the Express sample constructs it. */
export class UsersService {
  private readonly users: StoredUser[] = DEMO_USERS.map(({ password, ...user }) => {
    const salt = randomBytes(16);
    return { ...user, salt, passwordHash: scryptSync(password, salt, 32, { N: 1024 }) };
  });

  findById(id: string): DemoUser | null {
    const user = this.users.find((u) => u.id === id);
    return user ? publicView(user) : null;
  }

  checkPassword(username: string, password: string): DemoUser | null {
    const user = this.users.find((u) => u.username === username);
    if (!user) return null;
    const actual = scryptSync(password, user.salt, 32, { N: 1024 });
    return timingSafeEqual(actual, user.passwordHash) ? publicView(user) : null;
  }

  /**
   * Kept in memory, like the rest of the demo store: `false` when `current` is not the password.
   * The caller then tells MFA (`engine.passwordChanged`), which voids the user's trusted devices.
   */
  changePassword(userId: string, current: string, next: string): boolean {
    const user = this.users.find((u) => u.id === userId);
    if (!user || !this.checkPassword(user.username, current)) return false;
    user.salt = randomBytes(16);
    user.passwordHash = scryptSync(next, user.salt, 32, { N: 1024 });
    return true;
  }
}

/** The sample's rule for a new password (NIST 800-63B: length, not composition); null when it passes. */
export function newPasswordProblem(current: string, next: string): string | null {
  if (next.length < 8 || next.length > 128) return 'the new password must be 8 to 128 characters';
  if (next === current) return 'the new password must differ from the current one';
  return null;
}

function publicView({ id, username, email, groups }: StoredUser): DemoUser {
  return { id, username, email, groups };
}
