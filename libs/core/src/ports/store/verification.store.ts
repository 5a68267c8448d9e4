import type { AuditEvent } from '../audit-sink.port';
import type { GrantRecord } from './grant.store';
import type { SessionFactorRecord } from './session.store';

/** The single-use thing a verification uses up. */
export type VerificationSpend =
  | { kind: 'totp_step'; enrollmentId: string; step: number }
  | { kind: 'backup_code'; codeId: string }
  | { kind: 'otp_code'; codeId: string }
  /**
   * A passkey assertion spends its WebAuthn challenge (an OTP-code row of channel `webauthn`)
   * and advances the credential's signature counter: a counter that does not increase
   * (unless it stays 0, an authenticator that keeps none) changes no row.
   */
  | { kind: 'passkey'; challengeCodeId: string; enrollmentId: string; signCount: number };

/** A verification of `challengeId`: what it spends and what it earns, written together. */
export interface VerificationCommit {
  userId: string;
  spend: VerificationSpend;
  challengeId: string;
  /** The session's verification, or (for a `maxAge: 0` step) a single-use grant. */
  earned: { sessionFactor: SessionFactorRecord } | { grant: GrantRecord };
  now: number;
  /**
   * The app renewed its session id once the answer proved right (session fixation, ASVS
   * 7.2.4): what earned is already keyed by `toRef`, and everything the session held under
   * `fromRef` (verifications, grants, challenges, this one included) moves there in the
   * same commit. Nothing moves when the commit is refused.
   */
  renewal?: { fromRef: string; toRef: string };
  /**
   * Set only when the audit sink is the store's own table (`AuditSink.writtenByStoreCommit`):
   * rows written in the same transaction, so they are durable before the answer, and only
   * when it commits.
   */
  audit?: AuditEvent[];
}

/**
 * `already_spent`: the spend changed no row (a replay, or a lost race). `challenge_closed`:
 * the spend went through but the challenge was completed meanwhile, so it was undone.
 */
export type VerificationOutcome = 'committed' | 'already_spent' | 'challenge_closed';

/** Its own slice because it is the one write that crosses codes, challenges and sessions. */
export interface VerificationStore {
  /**
   * Spends, completes the challenge and writes what was earned in ONE transaction: all of
   * it or none. The spend is the usual conditional write decided by affected rows; when it
   * (or the completion) changes no row, nothing is written. A process that dies between the
   * writes must never leave a code spent for a session that was not verified.
   */
  commitVerification(commit: VerificationCommit): Promise<VerificationOutcome>;
}
