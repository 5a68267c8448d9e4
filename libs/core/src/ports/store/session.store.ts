import type { Assurance } from '../../factors/assurance';
import type { FactorType } from '../../factors/factor-type';
import type { VerificationBaseline } from '../../policy/request-context';

export interface SessionFactorRecord {
  sessionRef: string;
  userId: string;
  factor: FactorType;
  verifiedAt: number;
  /** Identifies the verification, so one verification never counts for two chain steps. */
  eventId: string;
  baseline?: VerificationBaseline;
  /** The AAL and `amr` the verification reached; absent on records written before they were kept. */
  assurance?: Assurance;
}

/**
 * A session's MFA state is its verifications, its grants and its challenges; the methods
 * that move or void a session act on all three together.
 */
export interface SessionStore {
  listSessionFactors(userId: string, sessionRef: string): Promise<SessionFactorRecord[]>;
  recordSessionFactor(record: SessionFactorRecord): Promise<void>;
  /** Forgets every session's verifications of the user, or only those made with `factor`. */
  deleteSessionFactors(userId: string, factor?: FactorType): Promise<void>;
  /**
   * Session renewal: re-keys one session's verifications, grants and challenges from
   * `fromRef` to `toRef` in one transaction, replacing any verification already under `toRef`.
   */
  moveSession(userId: string, fromRef: string, toRef: string): Promise<void>;
  /**
   * Voids the MFA state (verifications, unspent grants, pending challenges) of the user's
   * sessions, `only` one or all `except` one, in one transaction. Returns how many sessions had any.
   */
  voidSessions(userId: string, which: { only: string } | { except: string }): Promise<number>;
  /** How many of the user's sessions other than `exceptRef` hold MFA state: a verification, a live grant or a live pending challenge. */
  countSessions(userId: string, exceptRef: string, now: number): Promise<number>;
}
