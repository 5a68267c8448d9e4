import type { VerificationSpend } from '../../../core/src';
import type { Sql } from '../sql-runner';

// Shared by the repositories' own spending methods and the verification commit, so a spend
// inside the commit's transaction is the very statement it is outside it.

export const COMPLETE_CHALLENGE =
  "UPDATE mfa_challenges SET status = 'completed', completed_at = ? WHERE id = ? AND status = 'pending'";

const SPEND_OTP_CODE =
  'UPDATE mfa_otp_codes SET consumed_at = ? WHERE id = ? AND user_id = ? AND consumed_at IS NULL AND expires_at > ?';

/**
 * A counter that stays 0 is an authenticator that keeps none; any other must grow. The
 * 0-and-0 test binds the parameter against the BIGINT column: a bare `? = 0` would make
 * PostgreSQL type it int4, which a 32-bit unsigned counter overflows.
 */
const ADVANCE_SIGN_COUNT =
  "UPDATE mfa_enrollments SET last_step = ?, last_used_at = ? WHERE id = ? AND user_id = ? AND type = 'webauthn' AND status = 'active' AND (last_step IS NULL OR last_step < ? OR (last_step = 0 AND last_step = ?))";

/**
 * Each spend is one or more `UPDATE … WHERE <still unspent>`, each decided by its
 * affected-row count: the spend holds only if every one changed exactly one row.
 */
export function spendStatements(userId: string, spend: VerificationSpend, now: number): Sql[] {
  switch (spend.kind) {
    case 'totp_step':
      // `type` keeps a TOTP step from landing on a passkey's signature counter, which shares the column.
      return [
        [
          "UPDATE mfa_enrollments SET last_step = ?, last_used_at = ? WHERE id = ? AND user_id = ? AND type = 'totp' AND status = 'active' AND (last_step IS NULL OR last_step < ?)",
          [spend.step, now, spend.enrollmentId, userId, spend.step],
        ],
      ];
    case 'backup_code':
      return [
        [
          'UPDATE mfa_backup_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL',
          [now, spend.codeId, userId],
        ],
      ];
    case 'otp_code':
      return [[SPEND_OTP_CODE, [now, spend.codeId, userId, now]]];
    case 'passkey':
      return [
        [SPEND_OTP_CODE, [now, spend.challengeCodeId, userId, now]],
        [ADVANCE_SIGN_COUNT, [spend.signCount, now, spend.enrollmentId, userId, spend.signCount, spend.signCount]],
      ];
  }
}
