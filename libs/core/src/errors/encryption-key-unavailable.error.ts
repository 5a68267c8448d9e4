import type { AuditTrail } from '../audit/audit-trail';
import type { MfaSubject } from '../subject';
import { MfaError } from './mfa.error';

// Long enough for a rolling deploy to move on, short enough that the user barely waits.
const RETRY_AFTER_SECONDS = 5;

/**
 * A sealed secret or keyed digest names a key id this instance was not given (most often a
 * rolling deploy: another instance already seals with the newest key). The operator's
 * mistake, not the user's: it answers 503 and is never a wrong code. `keyId` is for the
 * audit trail only; it is not in `details`, which the client sees.
 */
export class EncryptionKeyUnavailableError extends MfaError {
  constructor(readonly keyId: string) {
    super('ENCRYPTION_KEY_UNAVAILABLE', {}, RETRY_AFTER_SECONDS);
  }
}

export function isEncryptionKeyUnavailable(value: unknown): value is EncryptionKeyUnavailableError {
  return value instanceof EncryptionKeyUnavailableError;
}

/**
 * Runs `use`; a key this instance lacks is audited once (critical, naming the key the
 * operator must deploy, never its material) before the 503 goes on.
 */
export function auditingKeyUnavailable<T>(
  audit: Pick<AuditTrail, 'record'>,
  subject: MfaSubject,
  channel: string,
  enrollmentId: string | undefined,
  use: () => T,
): T {
  try {
    return use();
  } catch (err) {
    if (isEncryptionKeyUnavailable(err))
      audit.record(subject, {
        type: 'secret.key_unavailable',
        severity: 'critical',
        channel,
        outcome: 'refused',
        enrollmentId,
        reason: `sealed with key "${err.keyId}", which this instance does not hold: deploy it to every instance`,
      });
    throw err;
  }
}
