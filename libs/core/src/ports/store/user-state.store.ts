/** Per-user lifecycle state: when mandatory enrollment first applied, and an admin's forced re-enrollment. */
export interface UserMfaState {
  userId: string;
  enrollmentRequiredSince: number | null;
  reenrollmentForcedAt: number | null;
}

export interface UserStateStore {
  findUserState(userId: string): Promise<UserMfaState | null>;
  /** Records when mandatory enrollment first applied (kept if already set); returns the stored time. */
  markEnrollmentRequired(userId: string, now: number): Promise<number>;
  /** Sets or clears an admin's forced re-enrollment. */
  setReenrollmentForced(userId: string, at: number | null): Promise<void>;
}
