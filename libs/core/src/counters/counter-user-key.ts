import { createHash } from 'node:crypto';

/**
 * Ids that are already safe inside a key stay readable: lower case (MySQL/MariaDB compare
 * keys case-insensitively, so `Alice` and `alice` would share one count there), no key
 * delimiter `:`, no Redis hash-tag brace, no `#`, and short enough that every key fits the
 * 191-character `mfa_counters.counter_key` column.
 */
const LITERAL = /^[a-z0-9._@+|=-]{1,64}$/;

/**
 * The user's part of every counter key. Any other id (1,000 characters, non-ASCII, mixed
 * case, `:{}`) becomes `#` + its SHA-256 in hex: fixed length, lower case, free of
 * delimiters. A literal can never start with `#`, so the two forms never meet, and no id
 * can make its keys collide with another user's or split its Redis hash tag.
 */
export function counterUserKey(userId: string): string {
  return LITERAL.test(userId) ? userId : `#${createHash('sha256').update(userId, 'utf8').digest('hex')}`;
}
