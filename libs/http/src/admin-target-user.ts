import { MfaError } from '../../core/src';
import type { MfaOptions } from './mfa-options';
import type { MfaRequest } from './subject-resolvers';
import { assertStorableUserId } from './storable-user-id';

/** Names the host's hook in the fail-closed log line, so a 503 says where to look. */
export class UserExistsHookError extends Error {
  constructor(cause: unknown) {
    super(
      `the userExists hook threw (${cause instanceof Error ? `${cause.name}: ${cause.message}` : 'a non-Error value'}); fix the hook or the user store behind it`,
    );
    this.name = this.constructor.name;
  }
}

/**
 * The `:userId` an `/admin/users/:userId/*` route acts on: one the store can keep
 * (`assertStorableUserId`), then confirmed by the host's `userExists` hook when there is one. Call it only
 * once the caller is a verified admin, so nobody else can use it to learn which ids exist.
 * The id stays a plain string value from here on (SQL parameters, Map and counter keys),
 * so `__proto__` or `hasOwnProperty` is just an id like any other.
 */
export async function adminTargetUser(req: MfaRequest, userExists: MfaOptions['userExists']): Promise<string> {
  const raw = req.params?.userId;
  const userId = assertStorableUserId(typeof raw === 'string' ? raw : '', 'path');
  if (!userExists) return userId;
  let exists: unknown;
  try {
    exists = await userExists(userId);
  } catch (err) {
    throw new UserExistsHookError(err); // not an MfaError: the one error translation answers 503 and logs it
  }
  // Only a plain `true` admits the id: a hook that forgets to return must not create state for strangers.
  if (exists !== true) throw new MfaError('USER_NOT_FOUND');
  return userId;
}
