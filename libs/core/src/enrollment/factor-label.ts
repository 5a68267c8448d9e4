import { MfaError } from '../errors/mfa.error';

export const MAX_LABEL_LENGTH = 64;
const DEFAULT_TOTP_LABEL = 'Authenticator app';

// Labels are shown back to the user (and in admin views) next to security decisions: control
// characters break log lines and layouts, and bidi overrides/isolates can make one label read
// as another ("Work" vs a reversed look-alike). Lone surrogates cannot be stored as UTF-8.
// U+2028/U+2029 are line breaks too, outside Cc.
const FORBIDDEN = /[\p{Cc}\p{Cs}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * The one label rule, for enrollment starts and renames alike: trimmed, then 1–64
 * characters (code points, so an emoji counts once), no control, bidi or lone surrogate.
 */
export function normalizeLabel(raw: string): string {
  return normalizeDisplayText(raw, 'label', MAX_LABEL_LENGTH);
}

/** The same rule for any other free text an admin or user types that is shown back or audited (e.g. a recovery reason). */
export function normalizeDisplayText(raw: string, field: string, maxLength: number): string {
  const text = raw.trim();
  const length = [...text].length;
  const problems: string[] = [];
  if (length < 1 || length > maxLength) problems.push(`${field} must be 1 to ${maxLength} characters after trimming`);
  if (FORBIDDEN.test(text)) problems.push(`${field} must not contain control characters or bidirectional overrides`);
  if (problems.length) throw new MfaError('VALIDATION_FAILED', { errors: [{ field, problems }] });
  return text;
}

/** `undefined` means "none given"; anything else must pass the rule. */
export function optionalLabel(raw: string | undefined | null): string | null {
  return raw === undefined || raw === null ? null : normalizeLabel(raw);
}

/**
 * Two unnamed authenticator apps (or passkeys) must still be told apart at a challenge:
 * "Authenticator app", then "Authenticator app 2", … skipping names already taken.
 */
export function defaultLabel(taken: ReadonlyArray<string | null>, base = DEFAULT_TOTP_LABEL): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base} ${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
