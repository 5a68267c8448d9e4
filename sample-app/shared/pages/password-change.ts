import type { MfaEngine } from '../../../src';
import { newPasswordProblem, UsersService } from '../demo-users';

export interface JsonAnswer {
  status: number;
  body: object;
}

/**
 * POST /auth/password `{ currentPassword, newPassword }` on both samples (signed in, with a
 * fresh second factor): the app changes its own password, then tells MFA, whose
 * `passwordChanged` voids every browser the user chose to remember. JSON only (`json`: the
 * request's content type matched): a cross-site form cannot send JSON without CORS.
 */
export async function changePassword(
  users: UsersService,
  engine: MfaEngine,
  userId: string,
  body: unknown,
  json: string | false | null,
): Promise<JsonAnswer> {
  if (!json) return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send the form as JSON.' } };
  const { currentPassword, newPassword } = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const errors = [
    typeof currentPassword !== 'string' && { field: 'currentPassword', problems: ['currentPassword must be a string'] },
    typeof newPassword !== 'string' && { field: 'newPassword', problems: ['newPassword must be a string'] },
  ].filter(Boolean);
  if (typeof currentPassword !== 'string' || typeof newPassword !== 'string')
    return { status: 400, body: { code: 'VALIDATION_FAILED', message: 'Check the form.', errors } };
  const problem = newPasswordProblem(currentPassword, newPassword);
  if (problem)
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: 'Check the form.',
        errors: [{ field: 'newPassword', problems: [problem] }],
      },
    };
  if (!users.changePassword(userId, currentPassword, newPassword))
    return { status: 403, body: { code: 'WRONG_PASSWORD', message: 'Your current password is not right.' } };
  return { status: 200, body: { changed: true, devicesForgotten: await engine.passwordChanged(userId) } };
}
