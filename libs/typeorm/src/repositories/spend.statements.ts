import type { VerificationSpend } from '../../../core/src';
import type { Sql } from '../sql-runner';

// Shared by the repositories' own spending methods and the verification commit, so a spend
// inside the commit's transaction is the very statement it is outside it.

export const COMPLETE_CHALLENGE =
  "UPDATE mfa_challenges SET status = 'completed', completed_at = ? WHERE id = ? AND status = 'pending'";

/** Each spend is one `UPDATE … WHERE <still unspent>`, decided by its affected-row count. */
export function spendStatement(userId: string, spend: VerificationSpend, now: number): Sql {
  switch (spend.kind) {
    case 'totp_step':
      return [
        "UPDATE mfa_enrollments SET last_step = ?, last_used_at = ? WHERE id = ? AND user_id = ? AND status = 'active' AND (last_step IS NULL OR last_step < ?)",
        [spend.step, now, spend.enrollmentId, userId, spend.step],
      ];
    case 'backup_code':
      return [
        'UPDATE mfa_backup_codes SET used_at = ? WHERE id = ? AND user_id = ? AND used_at IS NULL',
        [now, spend.codeId, userId],
      ];
    case 'otp_code':
      return [
        'UPDATE mfa_otp_codes SET consumed_at = ? WHERE id = ? AND user_id = ? AND consumed_at IS NULL AND expires_at > ?',
        [now, spend.codeId, userId, now],
      ];
  }
}
