import { MfaError } from '../../core/src';

/**
 * The widest user id the MFA store keeps: `user_id`, `actor`, `issued_by` and `author` are
 * VARCHAR(191) (PostgreSQL and MySQL/MariaDB count characters; SQLite does not check).
 * `length` counts UTF-16 units, never fewer than characters, so the bound always fits.
 */
export const MAX_USER_ID_LENGTH = 191;

const logged = { subject: false };

/**
 * A user id MFA can store: 1–191 characters and no NUL, which PostgreSQL refuses in text.
 * Above that the database would fail the write and the request would end in a 503; here it
 * is a 400 that names the field. Counter keys have no such limit (`counterUserKey`).
 */
export function assertStorableUserId(
  userId: string,
  source: 'path' | 'subject',
  log: (line: string) => void = stderr,
): string {
  if (userId.length >= 1 && userId.length <= MAX_USER_ID_LENGTH && !userId.includes('\u0000')) return userId;
  if (source === 'subject' && !logged.subject) {
    logged.subject = true;
    log(
      `nestjs-mfa: 400 VALIDATION_FAILED (userId): the signed-in user's id is ${userId.length} characters${userId.includes('\u0000') ? ' with a NUL' : ''}; ` +
        `the MFA store keeps ids of 1 to ${MAX_USER_ID_LENGTH} characters. Return a shorter stable id (e.g. a SHA-256 of yours) from resolveSubject.`,
    );
  }
  throw new MfaError('VALIDATION_FAILED', {
    errors: [{ field: 'userId', problems: [`1 to ${MAX_USER_ID_LENGTH} characters, without NUL`] }],
  });
}

function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
