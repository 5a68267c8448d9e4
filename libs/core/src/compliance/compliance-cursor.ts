import { MfaError } from '../errors/mfa.error';

/** The longest user id a store keeps (`user_id` is varchar(191)). */
const MAX_USER_ID = 191;

/** Where the next page starts: the last user id checked, opaque to callers (base64url). */
export function encodeComplianceCursor(afterUserId: string): string {
  return Buffer.from(afterUserId, 'utf8').toString('base64url');
}

/** A cursor from a previous page, or VALIDATION_FAILED: only what `encodeComplianceCursor` made is accepted. */
export function decodeComplianceCursor(cursor: string): string {
  const userId = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!userId || userId.length > MAX_USER_ID || encodeComplianceCursor(userId) !== cursor)
    throw new MfaError('VALIDATION_FAILED', {
      errors: [{ field: 'cursor', problems: ['cursor must be a nextCursor from a previous page'] }],
    });
  return userId;
}
